package tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A clone of the repository explains itself: every relative link in the README and docs/ names a file in it. */
class DocsLinksTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void everyRelativeLinkInTheReadmeAndDocsResolvesInsideTheRepository() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*") || target.startsWith("#")) continue;
                Path file = page.getParent().resolve(target.replaceFirst("#.*$", "")).normalize();
                if (!file.startsWith(root) || !Files.exists(file)) broken.add(root.relativize(page) + " → " + target);
            }
        }
        assertThat(broken).as("links that leave the repository or name nothing").isEmpty();
    }
}
