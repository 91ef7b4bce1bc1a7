package io.streamoffload.connect.dynamodb.it.stack;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A server of the test stack that runs as a child process (dynalite on Node.js, moto on Python), through one of the
 * launchers in {@code src/test/servers/}: each binds 127.0.0.1 on a port the OS picks and prints
 * {@code listening on port N}, so there is no race for a port found free a moment before. Its output goes to a log file
 * under {@code target/test-servers/}. It stops when its standard input is closed, which also happens when this JVM dies
 * however it dies, so no server outlives the run.
 */
final class ChildServer implements AutoCloseable {
    static final Path LOG_DIR = Path.of("target", "test-servers");
    /** The whole line: a port still being written would match in part. */
    private static final Pattern LISTENING = Pattern.compile("(\\S+) listening on port (\\d+)[ \\r\\n]");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final String name;
    private final Process process;
    private final OutputStream stdin;
    private final Path log;
    private final int port;
    private final String version;

    private ChildServer(String name, Process process, Path log, int port, String version) {
        this.name = name;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.log = log;
        this.port = port;
        this.version = version;
    }

    /**
     * Starts the command and waits until it says which port it listens on.
     *
     * @param name        names the log file ({@code target/test-servers/NAME-N.log}) and the server in errors
     * @param whenMissing what to install when the command's program cannot be run at all
     */
    static ChildServer start(String name, List<String> command, Path workingDir, Duration timeout, String whenMissing) {
        Path log = LOG_DIR.resolve(name + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet() + ".log");
        Process process;
        try {
            Files.createDirectories(LOG_DIR);
            process = new ProcessBuilder(command)
                    .directory(workingDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not run " + String.join(" ", command) + " for " + name + " ("
                    + e.getMessage() + "). " + whenMissing, e);
        }
        try {
            int port = await().atMost(timeout).pollInterval(Duration.ofMillis(25))
                    .failFast(name + " exited before it listened", () -> !process.isAlive())
                    .until(() -> listeningPort(log), p -> p > 0);
            Matcher line = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            return new ChildServer(name, process, log, port, line.find() ? line.group(1) : "?");
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException(e);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            String why = e instanceof ConditionTimeoutException ? name + " did not listen within " + timeout
                    : name + " exited with code " + exitCode(process) + " before it listened";
            process.destroyForcibly();
            throw new IllegalStateException(why + "; its log " + log + " says:\n" + tail(log), e);
        }
    }

    private static String exitCode(Process process) {
        return process.isAlive() ? "(running)" : Integer.toString(process.exitValue());
    }

    private static int listeningPort(Path log) throws IOException {
        Matcher matcher = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
        return matcher.find() ? Integer.parseInt(matcher.group(2)) : 0;
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    int port() {
        return port;
    }

    /** The version the server printed with its port. */
    String version() {
        return version;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** A crash: the process is killed at once, as a server that loses power would be. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Asks the server to stop (its standard input closes), and kills it if it has not within 10 s. */
    @Override
    public void close() throws InterruptedException {
        try {
            stdin.close();
        } catch (IOException e) {
            // it already went away
        }
        try {
            if (process.waitFor(10, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            process.destroyForcibly(); // never left running because the wait was cut short
            throw e;
        }
        process.destroyForcibly().waitFor();
    }

    @Override
    public String toString() {
        return name + " at " + endpoint();
    }
}
