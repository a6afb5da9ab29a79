package tollgate.web;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a new password must be (OWASP ASVS 2.1): at least 12 characters, at most 128, and not a guessable one: not in
 * the bundled list of common and breached passwords (also once digits and symbols are stripped, so "Password2024!"
 * is refused), not one character repeated, not a keyboard or alphabet run, not the user's own e-mail or company.
 */
public final class PasswordRules {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 128;
    private static final Set<String> COMMON = load();
    private static final String[] RUNS = {"abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertyuiopasdfghjklzxcvbnm",
            "zyxwvutsrqponmlkjihgfedcba", "09876543210"};

    private PasswordRules() {}

    /** Why {@code password} is refused, said to the person choosing it, or empty when it will do. */
    public static Optional<String> problem(String password, String... personal) {
        if (password == null || password.isEmpty()) return Optional.of("Choose a password.");
        if (password.codePointCount(0, password.length()) < MIN_LENGTH)
            return Optional.of("Use at least " + MIN_LENGTH + " characters.");
        if (password.length() > MAX_LENGTH) return Optional.of("Use at most " + MAX_LENGTH + " characters.");
        String lower = password.toLowerCase(Locale.ROOT);
        if (lower.chars().distinct().count() <= 2) return Optional.of("Use more than one or two different characters.");
        String letters = lower.replaceAll("[^a-z]", "");
        if (COMMON.contains(lower) || COMMON.contains(letters) || COMMON.contains(lower.replaceAll("[^a-z0-9]", "")))
            return Optional.of("This password is too common: it appears in lists of breached passwords.");
        for (String run : RUNS) {
            String compact = lower.replaceAll("[^a-z0-9]", "");
            if (compact.length() >= 8 && run.contains(compact)) return Optional.of("Avoid sequences such as abcd or 1234.");
        }
        for (String p : personal) {
            if (p == null || p.isBlank()) continue;
            String word = p.toLowerCase(Locale.ROOT).split("@")[0].replaceAll("[^a-z0-9]", "");
            if (word.length() >= 4 && lower.replaceAll("[^a-z0-9]", "").contains(word) && letters.length() - word.length() < 6)
                return Optional.of("Don't build the password from your name, email or company.");
        }
        return Optional.empty();
    }

    private static Set<String> load() {
        try (var in = PasswordRules.class.getResourceAsStream("/web/common-passwords.txt");
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> l.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("web/common-passwords.txt is missing from the jar", e);
        }
    }
}
