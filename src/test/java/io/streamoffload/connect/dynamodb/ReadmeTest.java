package io.streamoffload.connect.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamoffload.connect.dynamodb.config.ConfigReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README is the front door: its config reference and test command must match the code and CI. */
class ReadmeTest {
    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String readme() throws IOException {
        return Files.readString(Path.of("README.md"));
    }

    @Test
    void configReferenceIsGeneratedFromTheConfigDef() throws IOException {
        assertThat(readme())
                .as("README config reference is stale; regenerate it with: mvn -q compile exec:java "
                        + "-Dexec.mainClass=io.streamoffload.connect.dynamodb.config.ConfigReference -Dexec.args=README.md")
                .contains(ConfigReference.markdown(DynamoDbSinkConfig.CONFIG_DEF));
    }

    @Test
    void metricsReferenceIsGeneratedFromTheTaskMetrics() throws IOException {
        assertThat(readme())
                .as("README metrics reference is stale; regenerate it with: mvn -q compile exec:java "
                        + "-Dexec.mainClass=io.streamoffload.connect.dynamodb.config.ConfigReference -Dexec.args=README.md")
                .contains(ConfigReference.metricsMarkdown());
    }

    @Test
    void everySettingIsDocumented() throws IOException {
        String readme = readme();
        for (String name : DynamoDbSinkConfig.CONFIG_DEF.names()) {
            assertThat(readme).contains("`" + name + "`");
        }
    }

    @Test
    void ciRunsTheTestCommandWrittenInTheReadme() throws IOException {
        String readme = readme();
        int section = readme.indexOf("## Tests");
        int start = readme.indexOf("```bash\n", section) + "```bash\n".length();
        String command = readme.substring(start, readme.indexOf('\n', start)).trim();
        assertThat(command).isEqualTo("mvn -B verify");
        String ci = Files.readString(Path.of(".ci/run"));
        assertThat(ci.strip()).endsWith(command);
    }

    /** Every test the guarantees table names exists, with the named method where it names one. */
    @Test
    void theTestsTheGuaranteesNameExist() throws IOException {
        String readme = readme();
        int start = readme.indexOf("## Guarantees and failure behaviour");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 10));
        java.util.regex.Matcher names = java.util.regex.Pattern
                .compile("`([A-Z][A-Za-z0-9]*(?:IT|Test))(?:#([A-Za-z0-9]+)…?)?`").matcher(section);
        int found = 0;
        while (names.find()) {
            String className = names.group(1);
            List<Path> sources;
            try (var files = Files.walk(Path.of("src", "test", "java"))) {
                sources = files.filter(f -> f.toString().endsWith(".java")).toList();
            }
            assertThat(sources).as("README names " + className).anyMatch(f -> f.getFileName().toString()
                    .equals(className + ".java"));
            if (names.group(2) != null) {
                String method = "void " + names.group(2);
                // the method may be inherited, as the sink scenarios are by each stack's class
                assertThat(sources).as(className + "#" + names.group(2)).anyMatch(f -> read(f).contains(method));
            }
            found++;
        }
        assertThat(found).isGreaterThan(20);
    }
}
