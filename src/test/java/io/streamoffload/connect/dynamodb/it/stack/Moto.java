package io.streamoffload.connect.dynamodb.it.stack;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * moto's server (Apache-2.0, on Python), run as a child process on 127.0.0.1: one endpoint that answers DynamoDB, S3,
 * STS and KMS, the service chosen by each request's signature. The stack uses it for what dynalite lacks
 * (UpdateTimeToLive) and for the AWS services around the connector: STS's AssumeRole, and S3 with SSE-KMS keys that
 * KMS really holds. It validates less than dynalite and s3proxy, so it is never the stack's main DynamoDB or S3.
 * The machines have it with their Python ({@code moto_server}); {@code -Dmoto.python=...} or the environment variable
 * {@code MOTO_PYTHON} names another interpreter.
 */
public final class Moto implements AutoCloseable {
    private static final Path LAUNCHER = Path.of("src", "test", "servers", "moto", "serve.py");

    private final ChildServer server;

    private Moto(ChildServer server) {
        this.server = server;
    }

    public static Moto start() {
        return start(List.of());
    }

    /**
     * A moto that enforces IAM: every call after the first {@code setupCalls} is checked against the caller's
     * policies (DynamoDB by action, its resources matched only as "*"; S3 by action and resource), and refused with
     * 403 AccessDenied. The first calls create the users, their policies and keys.
     */
    public static Moto enforcingIamAfter(int setupCalls) {
        return start(List.of("--iam-after", Integer.toString(setupCalls)));
    }

    private static Moto start(List<String> options) {
        String python = System.getProperty("moto.python", System.getenv().getOrDefault("MOTO_PYTHON", "python3"));
        List<String> command = new java.util.ArrayList<>(List.of(python, LAUNCHER.toAbsolutePath().toString()));
        command.addAll(options);
        return new Moto(ChildServer.start("moto", command, Path.of("."),
                Duration.ofSeconds(60), "moto needs Python 3 with moto 5 and its server extras (moto[server]); "
                        + "-Dmoto.python or MOTO_PYTHON names the interpreter (default python3)"));
    }

    public String version() {
        return server.version();
    }

    public URI endpoint() {
        return server.endpoint();
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }

    @Override
    public String toString() {
        return server.toString();
    }
}
