package tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue 15: every dependency's and plugin's version is pinned in one place (pom properties) and reviewed in docs/DEPENDENCIES.md. */
class DependencyPinsTest {
    @Test
    void everyVersionIsAPropertyAndEveryPropertyIsReviewed() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        String body = pom.substring(pom.indexOf("</properties>")); // past the project's own version and the properties
        Matcher versions = Pattern.compile("<version>([^<]*)</version>").matcher(body);
        String reviewed = Files.readString(Path.of("docs/DEPENDENCIES.md"));
        int count = 0;
        while (versions.find()) {
            String v = versions.group(1);
            assertThat(v).as("a version written inline").matches("\\$\\{[A-Za-z0-9.-]+\\}");
            String property = v.substring(2, v.length() - 1);
            Matcher value = Pattern.compile("<" + Pattern.quote(property) + ">([^<]+)</" + Pattern.quote(property) + ">").matcher(pom);
            assertThat(value.find()).as(property).isTrue();
            assertThat(reviewed).as(property + " in docs/DEPENDENCIES.md").contains("`" + property + "` | " + value.group(1) + " |");
            count++;
        }
        assertThat(count).isGreaterThan(20);
        assertThat(body).as("every plugin names its version").doesNotContainPattern("</artifactId>\\s*<(executions|configuration)>");
    }
}
