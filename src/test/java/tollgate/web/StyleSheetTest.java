package tollgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The style sheet's blocks are closed: one missing brace after a {@code @media} block once put every later rule (the
 * badges, the payment methods, the invoices) inside the phone-width query, so wide screens lost them unnoticed.
 */
class StyleSheetTest {
    @Test
    void everyBlockOfTheStyleSheetIsClosedWhereItOpens() throws IOException {
        String css;
        try (InputStream in = StyleSheetTest.class.getResourceAsStream("/web/app.css")) {
            css = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?s)/\\*.*?\\*/", "");
        }
        int depth = 0;
        int line = 1;
        for (char c : css.toCharArray()) {
            if (c == '\n') line++;
            if (c == '{') depth++;
            if (c == '}') depth--;
            assertThat(depth).as("brace depth at line %d", line).isBetween(0, 2);
        }
        assertThat(depth).as("blocks left open at the end").isZero();
    }
}
