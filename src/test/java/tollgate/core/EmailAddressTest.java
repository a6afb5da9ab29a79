package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmailAddressTest {
    @Test
    void everydayAndInternationalAddressesAreTaken() {
        for (String ok : new String[] {"ops@acme.test", "billing+invoices@acme.co.uk", "o'brien@example.ie", "a.b-c_d@sub.example-host.com",
                "  padded@example.com  ", "jörg@müller.example", "用户@例子.广告", "x@xn--p1ai.example", "grace@tnt_00mxdr98.example", "a@b.cd", "a".repeat(64) + "@example.com"})
            assertThat(EmailAddress.valid(ok)).as(ok).isTrue();
    }

    @Test
    void whatCannotBeOneAddressIsRefused() {
        for (String bad : new String[] {"", "nope", "@example.com", "name@", "name@localhost", "a b@example.com", "a@b@example.com",
                "\"><script>alert(1)</script>@x.example", "<a@example.com>", "a..b@example.com", ".a@example.com", "a.@example.com",
                "a@-example.com", "a@example-.com", "a@example..com", "a@exa mple.com", "a\u0000@example.com", "a@exa\nmple.com",
                "a".repeat(65) + "@example.com", "a@" + "b".repeat(64) + ".com", "a@" + ("b".repeat(60) + ".").repeat(5) + "com"})
            assertThat(EmailAddress.valid(bad)).as(bad).isFalse();
        assertThat(EmailAddress.valid(null)).isFalse();
    }
}
