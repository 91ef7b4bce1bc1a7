package io.streamoffload.connect.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamoffload.connect.dynamodb.config.ConfigReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README is the front door and docs/ the reference: what they say must match the code and CI, every page must be
 * reachable from the README, and no link between them may point at a file or heading that is not there.
 */
class DocsTest {
    private static final Path README = Path.of("README.md");
    private static final Path DOCS = Path.of("docs");
    private static final String REGENERATE = "regenerate it with: mvn -q compile exec:java "
            + "-Dexec.mainClass=io.streamoffload.connect.dynamodb.config.ConfigReference "
            + "-Dexec.args=\"docs/configuration.md docs/monitoring.md\"";
    /** A markdown link: [text](target), the target without spaces. */
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(README));
        try (Stream<Path> files = Files.list(DOCS)) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        return documents;
    }

    @Test
    void configReferenceIsGeneratedFromTheConfigDef() {
        assertThat(read(DOCS.resolve("configuration.md"))).as("the config reference is stale; " + REGENERATE)
                .contains(ConfigReference.markdown(DynamoDbSinkConfig.CONFIG_DEF));
    }

    @Test
    void metricsReferenceIsGeneratedFromTheTaskMetrics() {
        assertThat(read(DOCS.resolve("monitoring.md"))).as("the metrics reference is stale; " + REGENERATE)
                .contains(ConfigReference.metricsMarkdown());
    }

    @Test
    void everySettingIsDocumented() {
        String reference = read(DOCS.resolve("configuration.md"));
        for (String name : DynamoDbSinkConfig.CONFIG_DEF.names()) {
            assertThat(reference).contains("`" + name + "`");
        }
    }

    @Test
    void ciRunsTheTestCommandWrittenInTheReadme() throws IOException {
        String readme = read(README);
        int section = readme.indexOf("## Tests");
        int start = readme.indexOf("```bash\n", section) + "```bash\n".length();
        String command = readme.substring(start, readme.indexOf('\n', start)).trim();
        assertThat(command).isEqualTo("mvn -B verify");
        assertThat(Files.readString(Path.of(".ci/run")).strip()).endsWith(command);
    }

    @Test
    void theReadmeIsAFrontDoorThatLeadsToEveryPage() throws IOException {
        String readme = read(README);
        assertThat(readme.lines().count()).as("README lines").isLessThanOrEqualTo(220);
        for (Path page : documents().subList(1, documents().size())) {
            assertThat(readme).as("the README links " + page).contains("(" + DOCS.getFileName() + "/"
                    + page.getFileName());
        }
    }

    /** Every relative link names a file that exists, and every anchor a heading of that file. */
    @Test
    void noLinkIsDead() throws IOException {
        List<String> dead = new ArrayList<>();
        int links = 0;
        for (Path document : documents()) {
            Matcher link = LINK.matcher(withoutCode(read(document)));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http(s), mailto: not this repository's to check
                }
                links++;
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                Path file = path.isEmpty() ? document : document.toAbsolutePath().getParent().resolve(path).normalize();
                if (!Files.exists(file)) {
                    dead.add(document + ": " + target + " (no such file)");
                } else if (hash >= 0 && !anchors(file).contains(target.substring(hash + 1))) {
                    dead.add(document + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(dead).as("dead links").isEmpty();
        assertThat(links).isGreaterThan(30);
    }

    /** Every test the guarantees table names exists, with the named method where it names one. */
    @Test
    void theTestsTheGuaranteesNameExist() throws IOException {
        String page = read(DOCS.resolve("guarantees.md"));
        int start = page.indexOf("## Guarantees and failure behaviour");
        assertThat(start).isNotNegative();
        int end = page.indexOf("\n## ", start + 10);
        String section = page.substring(start, end < 0 ? page.length() : end);
        Matcher names = Pattern.compile("`([A-Z][A-Za-z0-9]*(?:IT|Test))(?:#([A-Za-z0-9]+)…?)?`").matcher(section);
        List<Path> sources;
        try (Stream<Path> files = Files.walk(Path.of("src", "test", "java"))) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        int found = 0;
        while (names.find()) {
            String className = names.group(1);
            assertThat(sources).as("the guarantees name " + className).anyMatch(f -> f.getFileName().toString()
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

    /** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces to hyphens, -N for repeats. */
    static Set<String> anchors(Path file) {
        Set<String> anchors = new HashSet<>();
        for (String line : withoutCode(read(file)).split("\n")) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = heading.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
                        .replace(' ', '-');
                String unique = slug;
                for (int n = 1; !anchors.add(unique); n++) {
                    unique = slug + "-" + n;
                }
            }
        }
        return anchors;
    }

    /** The text outside fenced code blocks, where a '#' line is code, not a heading, and [x](y) no link. */
    private static String withoutCode(String markdown) {
        StringBuilder text = new StringBuilder();
        boolean code = false;
        for (String line : markdown.split("\n")) {
            if (line.stripLeading().startsWith("```")) {
                code = !code;
                continue;
            }
            if (!code) {
                text.append(line).append('\n');
            }
        }
        return text.toString();
    }
}
