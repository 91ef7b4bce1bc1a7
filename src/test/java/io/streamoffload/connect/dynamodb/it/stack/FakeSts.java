package io.streamoffload.connect.dynamodb.it.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * STS's AssumeRole over HTTP on loopback (there is no STS to test against here): answers with the temporary
 * credentials it is given, as STS's query protocol does, records each call's parameters and the access key it was
 * signed with, and can fail the next calls with STS's own 500 error body.
 */
public final class FakeSts implements AutoCloseable {
    /** One AssumeRole call: its form parameters, and the access key id from its Authorization header. */
    public record Call(Map<String, String> parameters, String signedWithAccessKeyId) {
    }

    private final HttpServer server;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final String sessionToken;
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failuresToGo = new AtomicInteger();

    /** Hands out these credentials (the real backends' own, so that what is signed with them is accepted). */
    public FakeSts(String accessKeyId, String secretAccessKey, String sessionToken) throws IOException {
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.sessionToken = sessionToken;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next {@code n} calls fail with HTTP 500 InternalFailure, as an STS hiccup does. */
    public FakeSts failNext(int n) {
        failuresToGo.set(n);
        return this;
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> parameters = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                parameters.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String signer = authorization == null || !authorization.contains("Credential=") ? null
                : authorization.substring(authorization.indexOf("Credential=") + 11, authorization.indexOf('/',
                        authorization.indexOf("Credential=")));
        calls.add(new Call(Map.copyOf(parameters), signer));
        String requestId = java.util.UUID.randomUUID().toString();
        if (failuresToGo.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            respond(exchange, 500, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
                    + "<Type>Receiver</Type><Code>InternalFailure</Code><Message>An internal error occurred.</Message>"
                    + "</Error><RequestId>" + requestId + "</RequestId></ErrorResponse>");
            return;
        }
        long seconds = Long.parseLong(parameters.getOrDefault("DurationSeconds", "3600"));
        String session = parameters.getOrDefault("RoleSessionName", "session");
        respond(exchange, 200, "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                + "<AssumeRoleResult><Credentials>"
                + "<AccessKeyId>" + accessKeyId + "</AccessKeyId>"
                + "<SecretAccessKey>" + secretAccessKey + "</SecretAccessKey>"
                + "<SessionToken>" + sessionToken + "</SessionToken>"
                + "<Expiration>" + Instant.now().plus(Duration.ofSeconds(seconds)) + "</Expiration>"
                + "</Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/connector/" + session
                + "</Arn><AssumedRoleId>AROAFAKESTS:" + session + "</AssumedRoleId></AssumedRoleUser>"
                + "</AssumeRoleResult><ResponseMetadata><RequestId>" + requestId + "</RequestId></ResponseMetadata>"
                + "</AssumeRoleResponse>");
    }

    private static void respond(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/xml");
        exchange.getResponseHeaders().add("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
