package io.streamoffload.connect.dynamodb.it.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;

/**
 * An HTTP/1.1 proxy on 127.0.0.1 in front of dynalite, s3proxy or moto, scripted request by request: forward, answer
 * with a real AWS error (the status, headers and body AWS sends), cut the connection, never answer, take writes out of
 * a BatchWriteItem before forwarding it and hand them back as {@code UnprocessedItems} (so a write that is not resent
 * is really missing), forward and then lose the answer, or rewrite the answer. With a server clock set, it refuses
 * requests signed too far from that clock, as AWS does. Every request is counted by operation and by what was done.
 */
public final class FaultProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** Which AWS service the proxy stands in front of: decides operation names and the shape of error bodies. */
    public enum Service { DYNAMODB, S3, STS }

    /** One request as the proxy received it; header names are lower case. */
    public record Request(String method, String target, Map<String, String> headers, byte[] body, String operation) {
        public String header(String name) {
            return headers.get(name);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The access key id the request is signed with, from its SigV4 Authorization header, or null. */
        public String signedWithAccessKeyId() {
            String authorization = header("authorization");
            int credential = authorization == null ? -1 : authorization.indexOf("Credential=");
            return credential < 0 ? null : authorization.substring(credential + 11, authorization.indexOf('/', credential));
        }

        /** The parameters of a query-protocol request (STS) sent as an URL-encoded form. */
        public Map<String, String> formParameters() {
            return FaultProxy.formParameters(body);
        }
    }

    /** What to do with one request. */
    public static final class Fault {
        enum Kind { FORWARD, ERROR, RESET, BLACK_HOLE, UNPROCESSED, FORWARD_THEN_RESET, REWRITE }

        public static final Fault FORWARD = new Fault(Kind.FORWARD, null, 0, null);
        private final Kind kind;
        private final AwsError error;
        private final int unprocessed;
        private final UnaryOperator<String> rewrite;

        private Fault(Kind kind, AwsError error, int unprocessed, UnaryOperator<String> rewrite) {
            this.kind = kind;
            this.error = error;
            this.unprocessed = unprocessed;
            this.rewrite = rewrite;
        }

        /** Answer with this AWS error instead of forwarding. */
        public static Fault error(AwsError error) {
            return new Fault(Kind.ERROR, error, 0, null);
        }

        /** Close the connection with a TCP reset, without an answer. */
        public static Fault reset() {
            return new Fault(Kind.RESET, null, 0, null);
        }

        /** Take the request and never answer it; the client has to give up on its own. */
        public static Fault blackHole() {
            return new Fault(Kind.BLACK_HOLE, null, 0, null);
        }

        /** BatchWriteItem: forward all but the last {@code n} writes, and answer those as UnprocessedItems. */
        public static Fault unprocessed(int n) {
            return new Fault(Kind.UNPROCESSED, null, n, null);
        }

        /** Forward (the backend acts on the request), then cut the connection: the answer is lost. */
        public static Fault forwardThenReset() {
            return new Fault(Kind.FORWARD_THEN_RESET, null, 0, null);
        }

        /** Forward, and rewrite the answer's body. */
        public static Fault rewrite(UnaryOperator<String> body) {
            return new Fault(Kind.REWRITE, null, 0, body);
        }

        public String name() {
            return kind == Kind.ERROR ? error.code() : kind.name().toLowerCase(Locale.ROOT);
        }
    }

    /** An AWS error as the service sends it. */
    public record AwsError(int status, String code, String message) {
        public static AwsError provisionedThroughputExceeded() {
            return new AwsError(400, "ProvisionedThroughputExceededException", "The level of configured provisioned "
                    + "throughput for the table was exceeded. Consider increasing your provisioning level with the "
                    + "UpdateTable API.");
        }

        public static AwsError throttling() {
            return new AwsError(400, "ThrottlingException", "Rate of requests exceeds the allowed throughput.");
        }

        public static AwsError internalServerError() {
            return new AwsError(500, "InternalServerError", "Internal server error");
        }

        public static AwsError replicatedWriteConflict() {
            return new AwsError(400, "ReplicatedWriteConflictException", "One or more items in this request are being "
                    + "modified by a request in another Region.");
        }

        public static AwsError slowDown() {
            return new AwsError(503, "SlowDown", "Please reduce your request rate.");
        }

        public static AwsError s3InternalError() {
            return new AwsError(500, "InternalError", "We encountered an internal error. Please try again.");
        }

        public static AwsError stsInternalFailure() {
            return new AwsError(500, "InternalFailure", "An internal error occurred.");
        }
    }

    private final ServerSocket server;
    private final URI target;
    private final Service service;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private volatile Function<Request, Fault> script = request -> Fault.FORWARD;
    private volatile Duration serverClockOffset;
    private volatile Duration latency = Duration.ZERO;

    public FaultProxy(URI target, Service service) throws IOException {
        this.target = target;
        this.service = service;
        this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-" + service + "-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Decides what happens to each request from now on; {@code null} forwards everything. */
    public FaultProxy script(Function<Request, Fault> script) {
        this.script = script == null ? request -> Fault.FORWARD : script;
        return this;
    }

    /**
     * Acts as a server whose clock is this far ahead of the real one: requests signed more than 5 minutes away from it
     * are refused with the service's clock-skew error and a Date header of the server's time, as AWS does. Null stops.
     */
    public FaultProxy serverClockOffset(Duration offset) {
        this.serverClockOffset = offset;
        return this;
    }

    /** Holds every request this long before acting on it, as a slower network or server would. */
    public FaultProxy latency(Duration latency) {
        this.latency = latency;
        return this;
    }

    /** How many requests of an operation were answered in a way ({@code forward}, an error code, {@code reset}...). */
    public long count(String operation, String fault) {
        LongAdder adder = counts.get(operation + ":" + fault);
        return adder == null ? 0 : adder.sum();
    }

    /** Every operation seen, with how many requests each way, e.g. {@code BatchWriteItem:forward=12}. */
    public Map<String, Long> counts() {
        Map<String, Long> snapshot = new java.util.TreeMap<>();
        counts.forEach((k, v) -> snapshot.put(k, v.sum()));
        return snapshot;
    }

    /** The names of all operations the proxy has seen. */
    public Set<String> operations() {
        Set<String> operations = new java.util.TreeSet<>();
        counts.keySet().forEach(k -> operations.add(k.substring(0, k.indexOf(':'))));
        return operations;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                // no Nagle delay: a small answer written after its head would otherwise wait for a delayed ACK (40 ms)
                client.setTcpNoDelay(true);
                open.add(client);
                Thread thread = new Thread(() -> serve(client), "fault-proxy-connection");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serve(Socket client) {
        Backend backend = new Backend();
        try {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            while (true) {
                Message head = Message.readHead(in);
                if (head == null) {
                    return;
                }
                if ("100-continue".equalsIgnoreCase(head.headers.remove("expect"))) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                head.body = head.readBody(in, false);
                String[] requestLine = head.startLine.split(" ");
                Request request = new Request(requestLine[0], requestLine[1], Map.copyOf(head.headers), head.body,
                        operation(requestLine[0], requestLine[1], head.headers, head.body));
                if (!latency.isZero()) {
                    Thread.sleep(latency.toMillis()); // the simulated network's delay, not a wait for a condition
                }
                Fault fault = clockSkewed(request) ? null : script.apply(request);
                if (fault == null) {
                    count(request, clockSkewError().code());
                    skewResponse(request).write(out);
                    continue;
                }
                count(request, fault.name());
                switch (fault.kind) {
                    case FORWARD -> backend.exchange(head, request).write(out);
                    case ERROR -> errorResponse(fault.error, request).write(out);
                    case RESET -> {
                        client.setSoLinger(true, 0);
                        return;
                    }
                    case BLACK_HOLE -> {
                        while (in.read() >= 0) {
                            // hold the connection until the client gives up
                        }
                        return;
                    }
                    case UNPROCESSED -> unprocessed(head, request, fault.unprocessed, backend).write(out);
                    case FORWARD_THEN_RESET -> {
                        backend.exchange(head, request);
                        client.setSoLinger(true, 0);
                        return;
                    }
                    case REWRITE -> {
                        Message response = backend.exchange(head, request);
                        response.replaceBody(fault.rewrite.apply(new String(response.body, StandardCharsets.UTF_8)));
                        response.write(out);
                    }
                }
                out.flush();
            }
        } catch (IOException | UncheckedIOException e) {
            // the client or the backend went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            backend.close();
            closeQuietly(client);
        }
    }

    private void count(Request request, String fault) {
        counts.computeIfAbsent(request.operation() + ":" + fault, k -> new LongAdder()).increment();
    }

    private String operation(String method, String target, Map<String, String> headers, byte[] body) {
        if (service == Service.DYNAMODB) {
            String amzTarget = headers.getOrDefault("x-amz-target", "");
            return amzTarget.substring(amzTarget.indexOf('.') + 1);
        }
        if (service == Service.STS) {
            return formParameters(body).getOrDefault("Action", method);
        }
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        String query = target.contains("?") ? target.substring(target.indexOf('?') + 1) : "";
        boolean objectLevel = path.indexOf('/', 1) > 0 && path.indexOf('/', 1) < path.length() - 1;
        return switch (method) {
            case "PUT" -> objectLevel ? "PutObject" : "CreateBucket";
            case "GET" -> objectLevel ? "GetObject" : query.contains("list-type=2") ? "ListObjectsV2" : "ListObjects";
            case "HEAD" -> objectLevel ? "HeadObject" : "HeadBucket";
            case "DELETE" -> objectLevel ? "DeleteObject" : "DeleteBucket";
            case "POST" -> query.contains("delete") ? "DeleteObjects" : "PostObject";
            default -> method;
        };
    }

    private static Map<String, String> formParameters(byte[] body) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                parameters.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private boolean clockSkewed(Request request) {
        Duration offset = serverClockOffset;
        String signed = request.header("x-amz-date");
        if (offset == null || signed == null) {
            return false;
        }
        Instant signedAt = AMZ_DATE.parse(signed, Instant::from);
        return Duration.between(signedAt, Instant.now().plus(offset)).abs().compareTo(Duration.ofMinutes(5)) > 0;
    }

    private AwsError clockSkewError() {
        return service == Service.DYNAMODB
                ? new AwsError(400, "InvalidSignatureException", "Signature expired")
                : new AwsError(403, "RequestTimeTooSkewed", "The difference between the request time and the current "
                        + "time is too large.");
    }

    private Message skewResponse(Request request) {
        Instant server = Instant.now().plus(serverClockOffset);
        String signed = request.header("x-amz-date");
        AwsError error = clockSkewError();
        Message response = errorResponse(service == Service.DYNAMODB
                ? new AwsError(error.status(), error.code(), "Signature expired: " + signed + " is now earlier than "
                        + AMZ_DATE.format(server.minus(Duration.ofMinutes(5))) + " (" + AMZ_DATE.format(server)
                        + " - 5 min.)")
                : error, request);
        response.headers.put("date", HTTP_DATE.format(server));
        if (service == Service.S3 && !request.method().equals("HEAD")) {
            response.replaceBody(s3ErrorBody(error, "<RequestTime>" + signed + "</RequestTime><ServerTime>"
                    + server + "</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>"));
        }
        return response;
    }

    /** The error as the service sends it: DynamoDB's JSON 1.0 body with {@code __type}, or S3's XML. */
    private Message errorResponse(AwsError error, Request request) {
        Message response = new Message("HTTP/1.1 " + error.status() + " " + reason(error.status()));
        response.headers.put("date", HTTP_DATE.format(Instant.now()));
        if (service == Service.DYNAMODB) {
            response.headers.put("x-amzn-requestid", UUID.randomUUID().toString());
            response.headers.put("content-type", "application/x-amz-json-1.0");
            String prefix = error.code().equals("ThrottlingException") ? "com.amazon.coral.availability#"
                    : error.code().equals("InvalidSignatureException") ? "com.amazon.coral.service#"
                    : "com.amazonaws.dynamodb.v20120810#";
            response.replaceBody("{\"__type\":\"" + prefix + error.code() + "\",\"message\":\"" + error.message() + "\"}");
        } else if (service == Service.STS) {
            String requestId = UUID.randomUUID().toString();
            response.headers.put("x-amzn-requestid", requestId);
            response.headers.put("content-type", "text/xml");
            response.replaceBody("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>"
                    + (error.status() >= 500 ? "Receiver" : "Sender") + "</Type><Code>" + error.code() + "</Code><Message>"
                    + error.message() + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>");
        } else {
            response.headers.put("x-amz-request-id", Long.toHexString(System.nanoTime()).toUpperCase(Locale.ROOT));
            response.headers.put("x-amz-id-2", UUID.randomUUID().toString());
            response.headers.put("content-type", "application/xml");
            // S3 answers a HEAD with the status alone
            response.replaceBody(request.method().equals("HEAD") ? "" : s3ErrorBody(error, ""));
        }
        return response;
    }

    private static String s3ErrorBody(AwsError error, String extra) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + error.code() + "</Code><Message>"
                + error.message() + "</Message>" + extra + "<RequestId>" + Long.toHexString(System.nanoTime())
                + "</RequestId><HostId>fault-proxy</HostId></Error>";
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 500 -> "Internal Server Error";
            case 503 -> "Slow Down";
            default -> "Error";
        };
    }

    /**
     * Takes the last {@code n} writes out of a BatchWriteItem before forwarding it, and adds them to the answer's
     * UnprocessedItems: the backend never sees them, so only a client that resends them gets them written.
     */
    private Message unprocessed(Message head, Request request, int n, Backend backend) throws IOException {
        ObjectNode body = (ObjectNode) JSON.readTree(head.body);
        ObjectNode requestItems = (ObjectNode) body.get("RequestItems");
        Map<String, ArrayNode> heldBack = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> tables = requestItems.fields(); tables.hasNext(); ) {
            Map.Entry<String, JsonNode> table = tables.next();
            ArrayNode writes = (ArrayNode) table.getValue();
            int keep = Math.max(1, writes.size() - n); // an empty list would be refused as invalid
            ArrayNode held = JSON.createArrayNode();
            while (writes.size() > keep) {
                held.insert(0, writes.remove(writes.size() - 1));
            }
            if (!held.isEmpty()) {
                heldBack.put(table.getKey(), held);
            }
        }
        head.replaceBody(JSON.writeValueAsString(body));
        Message response = backend.exchange(head, request);
        if (response.status() != 200 || heldBack.isEmpty()) {
            return response;
        }
        ObjectNode answer = (ObjectNode) JSON.readTree(response.body);
        ObjectNode unprocessed = answer.has("UnprocessedItems") && answer.get("UnprocessedItems").isObject()
                ? (ObjectNode) answer.get("UnprocessedItems") : answer.putObject("UnprocessedItems");
        heldBack.forEach((table, writes) -> {
            ArrayNode list = unprocessed.has(table) ? (ArrayNode) unprocessed.get(table) : unprocessed.putArray(table);
            list.addAll(writes);
        });
        response.replaceBody(JSON.writeValueAsString(answer));
        return response;
    }

    /** The connection to the backend that serves one client connection, opened on first use and after a close. */
    private final class Backend {
        private Socket socket;
        private InputStream in;

        Message exchange(Message request, Request parsed) throws IOException {
            if (socket == null || socket.isClosed()) {
                socket = new Socket(target.getHost(), target.getPort());
                socket.setTcpNoDelay(true);
                open.add(socket);
                in = new BufferedInputStream(socket.getInputStream());
            }
            request.write(socket.getOutputStream());
            Message response = Message.readHead(in);
            if (response == null) {
                close();
                throw new IOException("the backend closed the connection");
            }
            response.body = response.readBody(in, parsed.method().equals("HEAD") || response.status() == 204
                    || response.status() == 304);
            if ("close".equalsIgnoreCase(response.headers.get("connection")) || response.closeDelimited) {
                close();
            }
            return response;
        }

        void close() {
            if (socket != null) {
                closeQuietly(socket);
                socket = null;
            }
        }
    }

    /** An HTTP/1.1 message: start line, headers (lower-case names, in order) and the whole body. */
    private static final class Message {
        final String startLine;
        final Map<String, String> headers = new LinkedHashMap<>();
        byte[] body = new byte[0];
        boolean closeDelimited;

        Message(String startLine) {
            this.startLine = startLine;
        }

        int status() {
            return Integer.parseInt(startLine.split(" ")[1]);
        }

        static Message readHead(InputStream in) throws IOException {
            String line = readLine(in);
            if (line == null) {
                return null;
            }
            Message message = new Message(line);
            for (String header = readLine(in); header != null && !header.isEmpty(); header = readLine(in)) {
                int colon = header.indexOf(':');
                // repeated fields (Content-Encoding: zstd, then aws-chunked) combine, as HTTP and SigV4 treat them
                message.headers.merge(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).trim(), (a, b) -> a + "," + b);
            }
            return message;
        }

        /** Reads the body by Content-Length or chunks, or to the end of the stream for a response with neither. */
        byte[] readBody(InputStream in, boolean none) throws IOException {
            if (none) {
                return new byte[0];
            }
            String length = headers.get("content-length");
            if (length != null) {
                return in.readNBytes(Integer.parseInt(length));
            }
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
                    out.write(in.readNBytes(size));
                    readLine(in);
                }
                for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); trailer = readLine(in)) {
                    // trailers are dropped: the body is resent with a length
                }
                headers.remove("transfer-encoding");
                return out.toByteArray();
            }
            if (startLine.startsWith("HTTP/")) {
                closeDelimited = true;
                return in.readAllBytes();
            }
            return new byte[0];
        }

        /** Replaces the body, fixing the length and, for DynamoDB, the CRC32 the SDK checks it against. */
        void replaceBody(String text) {
            body = text.getBytes(StandardCharsets.UTF_8);
            headers.remove("transfer-encoding");
            if (headers.containsKey("x-amz-crc32") || headers.containsKey("x-amzn-requestid")) {
                CRC32 crc = new CRC32();
                crc.update(body);
                headers.put("x-amz-crc32", Long.toString(crc.getValue()));
            }
        }

        void write(OutputStream out) throws IOException {
            StringBuilder head = new StringBuilder(startLine).append("\r\n");
            headers.forEach((name, value) -> {
                if (!name.equals("content-length") && !name.equals("transfer-encoding")) {
                    head.append(name).append(": ").append(value).append("\r\n");
                }
            });
            boolean bodyless = startLine.startsWith("HTTP/") && headers.containsKey("content-length") && body.length == 0;
            // a HEAD answer keeps the length of the entity it describes
            head.append("content-length: ").append(bodyless ? headers.get("content-length") : body.length).append("\r\n\r\n");
            // head and body in one write, as one segment where they fit
            byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            byte[] message = Arrays.copyOf(headBytes, headBytes.length + body.length);
            System.arraycopy(body, 0, message, headBytes.length, body.length);
            out.write(message);
            out.flush();
        }

        private static int chunkSize(InputStream in) throws IOException {
            String line = readLine(in);
            if (line == null) {
                throw new IOException("truncated chunked body");
            }
            int semicolon = line.indexOf(';');
            return Integer.parseInt((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
        }

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(128);
            for (int b = in.read(); ; b = in.read()) {
                if (b < 0) {
                    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
                }
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.ISO_8859_1);
                    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                }
                line.write(b);
            }
        }
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : List.copyOf(open)) {
            closeQuietly(socket);
        }
    }
}
