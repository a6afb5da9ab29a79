package tollgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 point 8, "kept": the audit log has no way to lose an entry (decision 041) — no method of the service or the
 * store deletes or rewrites one, and no statement in the server's code deletes from, updates, truncates or drops the table.
 */
class AuditKeptTest {
    @Test
    void noServiceOrStoreMethodAndNoStatementRemovesOrRewritesAnEntry() throws IOException {
        for (Class<?> c : List.of(Audit.class, AuditStore.class)) {
            List<String> writers = Arrays.stream(c.getDeclaredMethods()).filter(m -> !Modifier.isPrivate(m.getModifiers()))
                    .map(Method::getName).filter(n -> n.matches("(?i).*(delete|remove|purge|update|truncate|clear|prune).*")).toList();
            assertThat(writers).as(c.getSimpleName()).isEmpty();
        }
        List<String> offending;
        try (Stream<Path> files = Files.walk(Path.of("src/main"))) {
            offending = files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".sql"))
                    .filter(f -> read(f).matches("(?s).*(delete from audit_log|update audit_log|truncate (table )?audit_log|drop table audit_log).*"))
                    .map(Path::toString).toList();
        }
        assertThat(offending).isEmpty();
    }

    private static String read(Path f) {
        try {
            return Files.readString(f).toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
