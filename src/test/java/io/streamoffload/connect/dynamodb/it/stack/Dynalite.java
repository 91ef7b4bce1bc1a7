package io.streamoffload.connect.dynamodb.it.stack;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * dynalite, the open-source DynamoDB of the test stack (Apache-2.0, on Node.js), run as a child process on 127.0.0.1:
 * in memory, or with its tables in LevelDB under a directory so that a scenario can stop it and start it again with
 * its data. The build installs it into {@code target/dynalite} from the npm registry at the versions pinned in
 * {@code src/test/servers/dynalite/package-lock.json}.
 *
 * <p>Like DynamoDB, it answers CreateTable with CREATING and turns the table ACTIVE a moment later, so whoever creates
 * a table waits for it; the moment is shortened from dynalite's 500 ms so that the suite's hundred-odd tables cost
 * little, and kept above zero so that the connector's own wait is exercised.
 */
public final class Dynalite implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("dynalite.dir", Path.of("target", "dynalite").toString()));
    private static final int MIN_NODE_MAJOR = 20;
    private static final String NEEDS = "dynalite (the tests' DynamoDB) needs Node.js " + MIN_NODE_MAJOR + " or newer"
            + " with npm on the PATH: from your distribution where it has " + MIN_NODE_MAJOR + " or newer, from "
            + "https://nodejs.org, or, with any npm, 'npm install --prefix DIR node@" + MIN_NODE_MAJOR + "' and "
            + "DIR/node_modules/.bin on the PATH";
    private static final String STATE_CHANGE_MS = "100";

    private final ChildServer server;
    private final Path dataDir;

    private Dynalite(ChildServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    /** A dynalite that keeps its tables in memory. */
    public static Dynalite inMemory() {
        return start(null, 0);
    }

    /**
     * A dynalite that keeps its tables in LevelDB under {@code dataDir}, where a later one started on it finds them. Its
     * port is below the range the OS hands out to client sockets: while it is down for a restart, a client reconnecting
     * to a port in that range may be given that very port (a TCP self-connect), and the restart could not bind it.
     */
    public static Dynalite persistent(Path dataDir) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return start(dataDir, Ports.belowEphemeralRange());
            } catch (IllegalStateException e) {
                last = e; // most likely taken: another port
            }
        }
        throw last;
    }

    /**
     * This dynalite started again on its data directory and its port, as a DynamoDB endpoint that comes back after an
     * outage: clients configured with its endpoint reach it again.
     */
    public Dynalite restart() throws InterruptedException {
        if (dataDir == null) {
            throw new IllegalStateException("an in-memory dynalite has nothing to come back with");
        }
        if (server.isAlive()) {
            server.close();
        }
        return start(dataDir, server.port());
    }

    private static Dynalite start(Path dataDir, int port) {
        checkInstalled();
        List<String> command = new ArrayList<>(List.of(node(), "serve.js", "--port", Integer.toString(port),
                "--createTableMs", STATE_CHANGE_MS, "--deleteTableMs", STATE_CHANGE_MS, "--updateTableMs", STATE_CHANGE_MS));
        if (dataDir != null) {
            command.addAll(List.of("--path", dataDir.toAbsolutePath().toString()));
        }
        return new Dynalite(ChildServer.start("dynalite", command, HOME, Duration.ofSeconds(60), NEEDS), dataDir);
    }

    /** Says what is missing, and what to install, before anything is started. */
    static void checkInstalled() {
        String version = nodeVersion();
        int major = Integer.parseInt(version.replaceFirst("^v", "").split("\\.")[0]);
        if (major < MIN_NODE_MAJOR) {
            throw new IllegalStateException("Found Node.js " + version + ", which is too old. " + NEEDS);
        }
        if (!Files.exists(HOME.resolve("node_modules/dynalite/package.json")) || !Files.exists(HOME.resolve("serve.js"))) {
            throw new IllegalStateException("dynalite is not installed in " + HOME.toAbsolutePath() + ". The build installs "
                    + "it: run 'mvn test-compile' (or any later phase) without -DskipTests. " + NEEDS);
        }
    }

    private static String nodeVersion() {
        try {
            Process process = new ProcessBuilder(node(), "--version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0 || !out.matches("v\\d+\\..*")) {
                throw new IllegalStateException("'" + node() + " --version' did not answer with a version (" + out + "). " + NEEDS);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("Node.js was not found ('" + node() + "' could not be run). " + NEEDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while asking for the Node.js version", e);
        }
    }

    private static String node() {
        return "node"; // from the PATH, as the build's install found it
    }

    public String version() {
        return server.version();
    }

    public URI endpoint() {
        return server.endpoint();
    }

    /** Where its tables are kept, or null when in memory. */
    public Path dataDir() {
        return dataDir;
    }

    public Path log() {
        return server.log();
    }

    /** A crash: the process is killed at once. With a data directory, {@link #restart} brings the tables back. */
    public void kill() throws InterruptedException {
        server.kill();
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }

    @Override
    public String toString() {
        return server + (dataDir == null ? " (in memory)" : " (LevelDB at " + dataDir + ")");
    }
}
