package io.streamoffload.connect.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamoffload.connect.dynamodb.config.ConfigReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README is the front door: its config reference and test command must match the code and CI. */
class ReadmeTest {
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
}
