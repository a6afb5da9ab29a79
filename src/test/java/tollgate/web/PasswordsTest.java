package tollgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Argon2id hashes with OWASP's parameters, and the rules a new password must meet. */
class PasswordsTest {
    @Test
    void hashesAreArgon2idWithOwaspParametersAndASaltOfTheirOwn() {
        String a = Passwords.hash("correct horse battery staple");
        String b = Passwords.hash("correct horse battery staple");
        assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(b);
        assertThat(Passwords.verify("correct horse battery staple", a)).isTrue();
        assertThat(Passwords.verify("correct horse battery stapler", a)).isFalse();
        assertThat(Passwords.verify("", a)).isFalse();
        // No user: the decoy is checked (same cost) and the answer is no, whatever the password.
        assertThat(Passwords.verify("decoy password that nobody has", null)).isFalse();
    }

    @Test
    void aNewPasswordIsLongAndNotGuessable() {
        assertThat(PasswordRules.problem("short one")).contains("Use at least 12 characters.");
        assertThat(PasswordRules.problem("x".repeat(129))).contains("Use at most 128 characters.");
        assertThat(PasswordRules.problem("aaaaaaaaaaaaaaaa")).contains("Use more than one or two different characters.");
        assertThat(PasswordRules.problem("abababababababab")).contains("Use more than one or two different characters.");
        assertThat(PasswordRules.problem("Password2024!")).hasValueSatisfying(m -> assertThat(m).contains("too common"));
        assertThat(PasswordRules.problem("qwertyuiop123")).hasValueSatisfying(m -> assertThat(m).contains("too common"));
        assertThat(PasswordRules.problem("123456789012")).hasValueSatisfying(m -> assertThat(m).contains("too common"));
        assertThat(PasswordRules.problem("abcdefghijklm")).contains("Avoid sequences such as abcd or 1234.");
        assertThat(PasswordRules.problem("northwind2024!!", "ada@northwind.example", "Northwind"))
                .contains("Don't build the password from your name, email or company.");
        assertThat(PasswordRules.problem("correct horse battery staple", "ada@northwind.example")).isEmpty();
        assertThat(PasswordRules.problem("Tr0ub4dor&3-velvet")).isEmpty();
    }
}
