package io.streamoffload.connect.dynamodb.it.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for change-data scenarios, from the machine's own packages (Debian's {@code postgresql}),
 * run as a child process on 127.0.0.1 with logical decoding on, so that Debezium's PostgreSQL connector can stream
 * from it. PostgreSQL refuses to run as root: a test JVM running as root starts it as the package's {@code postgres}
 * user. Its cluster lives under {@code target/postgres} (or, where the postgres user cannot reach the build directory,
 * a temporary directory), with trust authentication on loopback only; its log is under {@code target/test-servers}. It
 * stops when the stack closes, or when this JVM dies.
 */
public final class Postgres implements AutoCloseable {
    private static final Path LAUNCHER = Path.of("src", "test", "servers", "postgres", "serve.sh");
    private static final Path HOME = Path.of("target", "postgres");
    private static final String NEEDS = "the change-data tests need a PostgreSQL server (14 or newer) from the "
            + "machine's packages: 'apt-get install -y postgresql' on Debian or Ubuntu, as .ci/run does; "
            + "-Dpostgres.bin=DIR names another directory holding initdb, postgres and pg_isready";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final ChildServer server;
    private final Path dataDir;

    private Postgres(ChildServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    /** A new, empty cluster. */
    public static Postgres start() {
        Path bin = binDir();
        Path dataDir = newDataDir();
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return new Postgres(launch(bin, dataDir, Ports.belowEphemeralRange()), dataDir);
            } catch (IllegalStateException e) {
                last = e; // most likely the port was taken: another one
            }
        }
        throw last;
    }

    private static ChildServer launch(Path bin, Path dataDir, int port) {
        String script;
        try {
            script = Files.readString(LAUNCHER, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(asPostgresUser());
        command.addAll(List.of("bash", "-c", script, "serve.sh", bin.toString(), dataDir.toString(), Integer.toString(port)));
        return ChildServer.start("postgres", command, dataDir.getParent(), Duration.ofSeconds(60), NEEDS);
    }

    /** The directory of the server binaries: -Dpostgres.bin, or the newest version under /usr/lib/postgresql. */
    private static Path binDir() {
        Optional<Path> configured = Optional.ofNullable(System.getProperty("postgres.bin")).map(Path::of);
        if (configured.isPresent()) {
            return configured.filter(Postgres::hasServer)
                    .orElseThrow(() -> new IllegalStateException("-Dpostgres.bin=" + configured.get() + " holds no "
                            + "initdb, postgres and pg_isready; " + NEEDS));
        }
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            return versions.map(v -> v.resolve("bin")).filter(Postgres::hasServer)
                    .max(Comparator.comparingInt(Postgres::majorVersion))
                    .orElseThrow(() -> new IllegalStateException("No PostgreSQL server under " + root + "; " + NEEDS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean hasServer(Path bin) {
        return Stream.of("initdb", "postgres", "pg_isready").allMatch(b -> Files.isExecutable(bin.resolve(b)));
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** PostgreSQL refuses root: as root, run it as the package's postgres user. */
    private static List<String> asPostgresUser() {
        return runningAsRoot() ? List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups") : List.of();
    }

    /**
     * A fresh directory for a cluster, owned by whoever runs the server, under target/ where that user can reach it
     * (a build directory under /root cannot be reached by the postgres user), else under the temporary directory.
     */
    private static Path newDataDir() {
        String name = "cluster-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        try {
            Files.createDirectories(HOME);
            Path dir = HOME.toAbsolutePath().resolve(name);
            Files.createDirectories(dir);
            if (!runningAsRoot() || handToPostgres(dir) && reachableByPostgres(dir)) {
                return dir;
            }
            Path temporary = Files.createTempDirectory("dynamodb-sink-it-postgres-").resolve(name);
            Files.createDirectories(temporary);
            handToPostgres(temporary.getParent());
            handToPostgres(temporary);
            return temporary;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean handToPostgres(Path dir) throws IOException {
        try {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
            return true;
        } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
            throw new IllegalStateException("There is no 'postgres' user to run PostgreSQL as (it refuses root); " + NEEDS);
        }
    }

    private static boolean reachableByPostgres(Path dir) {
        try {
            Process test = new ProcessBuilder(concat(asPostgresUser(), List.of("test", "-w", dir.toString())))
                    .redirectErrorStream(true).start();
            return test.waitFor(30, TimeUnit.SECONDS) && test.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    public int port() {
        return server.port();
    }

    public String version() {
        return server.version();
    }

    /** The JDBC URL of a database of this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** A connection to the {@code postgres} database as its superuser, with autocommit on. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
    }

    public Path log() {
        return server.log();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }

    @Override
    public String toString() {
        return server + " (cluster " + dataDir + ")";
    }
}
