package io.streamoffload.connect.dynamodb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A DynamoDB-compatible HTTP endpoint that stores nothing and costs almost no CPU, so that a benchmark against it
 * measures the client's cost: it answers {@code BatchWriteItem}, {@code PutItem}, {@code UpdateItem},
 * {@code DeleteItem}, {@code TransactWriteItems} and {@code DescribeTable} after a fixed latency. With a write limit it throttles as DynamoDB does:
 * a batch beyond the capacity left gets the rest back as {@code UnprocessedItems}, and a call when none is left gets
 * {@code ProvisionedThroughputExceededException}. Requests are parsed, to count the write units they would bill.
 * With a number of servers it queues, as a hot partition or an overloaded emulator does: that many calls are served at
 * once, the latency each, and the others wait their turn, so that latency rises with the calls in flight and throughput
 * does not.
 */
public final class MiniDynamoDb implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PUT_REQUEST = "\"PutRequest\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DELETE_REQUEST = "\"DeleteRequest\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ALL_PROCESSED = "{\"UnprocessedItems\":{}}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.US_ASCII);

    static {
        // without it, an answer's headers and body leave in two segments and the second waits for a delayed ACK
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final long latencyMs;
    private final java.util.concurrent.Semaphore servers;
    private final WriteCapacity capacity;
    private final String keyAttribute;
    final LongAdder requests = new LongAdder();
    final LongAdder throttledRequests = new LongAdder();
    final LongAdder itemsWritten = new LongAdder();
    final LongAdder itemsUnprocessed = new LongAdder();
    final LongAdder partialRequests = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder writeUnits = new LongAdder();

    /**
     * @param writesPerSecond 0 for no limit
     */
    public MiniDynamoDb(long latencyMs, int writesPerSecond, String keyAttribute) throws IOException {
        this(latencyMs, writesPerSecond, keyAttribute, 0);
    }

    /** @param servers how many calls are served at once, the others queueing (first come, first served); 0: all */
    public MiniDynamoDb(long latencyMs, int writesPerSecond, String keyAttribute, int servers) throws IOException {
        this.latencyMs = latencyMs;
        this.servers = servers > 0 ? new java.util.concurrent.Semaphore(servers, true) : null;
        this.capacity = writesPerSecond > 0 ? new WriteCapacity(writesPerSecond) : null;
        this.keyAttribute = keyAttribute;
        AtomicInteger n = new AtomicInteger();
        // one thread per connection in flight: the SDK's pool bounds how many there are
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mini-dynamodb-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public long itemsWritten() {
        return itemsWritten.sum();
    }

    public Counts counts() {
        return new Counts(requests.sum(), throttledRequests.sum(), partialRequests.sum(), itemsWritten.sum(),
                itemsUnprocessed.sum(), bytesIn.sum(), bytesOut.sum(), writeUnits.sum());
    }

    /**
     * @param throttled requests refused whole ({@code ProvisionedThroughputExceededException})
     * @param partial   requests that got some of their writes back as {@code UnprocessedItems}
     * @param writeUnits write capacity units as DynamoDB bills the writes taken: one per KB of each item, rounded up
     *                   (a delete: one; an update: the attributes it sets, as the item it leaves is not known here)
     */
    public record Counts(long requests, long throttled, long partial, long items, long unprocessed, long bytesIn,
                         long bytesOut, long writeUnits) {
        public Counts minus(Counts o) {
            return new Counts(requests - o.requests, throttled - o.throttled, partial - o.partial, items - o.items,
                    unprocessed - o.unprocessed, bytesIn - o.bytesIn, bytesOut - o.bytesOut, writeUnits - o.writeUnits);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            requests.increment();
            bytesIn.add(body.length);
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
            if (servers != null) {
                servers.acquire();
            }
            try {
                if (latencyMs > 0) {
                    Thread.sleep(latencyMs); // the simulated server's time, not a wait for a condition
                }
            } finally {
                if (servers != null) {
                    servers.release();
                }
            }
            switch (operation) {
                case "BatchWriteItem" -> batchWrite(exchange, body);
                case "PutItem", "UpdateItem", "DeleteItem" -> singleWrite(exchange, operation, body);
                case "TransactWriteItems" -> transactWrite(exchange, body);
                case "DescribeTable" -> describeTable(exchange, body);
                default -> error(exchange, 400, "UnknownOperationException", "not supported here: " + operation);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void batchWrite(HttpExchange exchange, byte[] body) throws IOException {
        int items = count(body, PUT_REQUEST) + count(body, DELETE_REQUEST);
        int granted = capacity == null ? items : capacity.take(items);
        if (granted == 0 && items > 0) {
            throttledRequests.increment();
            error(exchange, 400, "ProvisionedThroughputExceededException",
                    "The level of configured provisioned throughput for the table was exceeded.");
            return;
        }
        itemsWritten.add(granted);
        JsonNode requestItems = JSON.readTree(body).get("RequestItems");
        int counted = 0;
        for (JsonNode writes : requestItems) {
            for (JsonNode write : writes) {
                if (counted++ < granted) {
                    writeUnits.add(write.has("PutRequest") ? units(write.get("PutRequest").get("Item")) : 1);
                }
            }
        }
        if (granted == items) {
            respond(exchange, 200, ALL_PROCESSED);
            return;
        }
        // echo the requests beyond the capacity back, as DynamoDB does
        itemsUnprocessed.add(items - granted);
        partialRequests.increment();
        JsonNode request = requestItems;
        ObjectNode unprocessed = JSON.createObjectNode();
        int skip = granted;
        for (var tables = request.fields(); tables.hasNext(); ) {
            var table = tables.next();
            ArrayNode rest = JSON.createArrayNode();
            for (JsonNode write : table.getValue()) {
                if (skip > 0) {
                    skip--;
                } else {
                    rest.add(write);
                }
            }
            if (!rest.isEmpty()) {
                unprocessed.set(table.getKey(), rest);
            }
        }
        ObjectNode response = JSON.createObjectNode();
        response.set("UnprocessedItems", unprocessed);
        respond(exchange, 200, JSON.writeValueAsBytes(response));
    }

    private void singleWrite(HttpExchange exchange, String operation, byte[] body) throws IOException {
        if (capacity != null && capacity.take(1) == 0) {
            throttledRequests.increment();
            error(exchange, 400, "ProvisionedThroughputExceededException",
                    "The level of configured provisioned throughput for the table was exceeded.");
            return;
        }
        itemsWritten.increment();
        writeUnits.add(singleWriteUnits(operation, JSON.readTree(body)));
        respond(exchange, 200, EMPTY_OBJECT);
    }

    private static long singleWriteUnits(String operation, JsonNode request) {
        return switch (operation) {
            case "PutItem", "Put" -> units(request.get("Item"));
            case "UpdateItem", "Update" -> units(request.get("Key")) + units(request.get("ExpressionAttributeValues")) - 1;
            default -> 1;
        };
    }

    /** A transaction: all its writes or none, at two write units per KB of each (what DynamoDB bills). */
    private void transactWrite(HttpExchange exchange, byte[] body) throws IOException {
        JsonNode actions = JSON.readTree(body).get("TransactItems");
        int items = actions.size();
        if (capacity != null && capacity.take(items) < items) {
            throttledRequests.increment();
            error(exchange, 400, "ProvisionedThroughputExceededException",
                    "The level of configured provisioned throughput for the table was exceeded.");
            return;
        }
        itemsWritten.add(items);
        for (JsonNode action : actions) {
            String kind = action.fieldNames().next();
            writeUnits.add(2 * singleWriteUnits(kind, action.get(kind)));
        }
        respond(exchange, 200, EMPTY_OBJECT);
    }

    private void describeTable(HttpExchange exchange, byte[] body) throws IOException {
        String table = JSON.readTree(body).path("TableName").asText();
        ObjectNode description = JSON.createObjectNode();
        description.put("TableName", table);
        description.put("TableStatus", "ACTIVE");
        description.putArray("KeySchema").addObject().put("AttributeName", keyAttribute).put("KeyType", "HASH");
        description.putArray("AttributeDefinitions").addObject().put("AttributeName", keyAttribute)
                .put("AttributeType", "S");
        ObjectNode response = JSON.createObjectNode();
        response.set("Table", description);
        respond(exchange, 200, JSON.writeValueAsBytes(response));
    }

    private void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        error.put("__type", "com.amazonaws.dynamodb.v20120810#" + type);
        error.put("message", message);
        respond(exchange, status, JSON.writeValueAsBytes(error));
    }

    private void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.getResponseHeaders().set("x-amzn-RequestId", "mini");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        bytesOut.add(body.length);
    }

    /** Write units of an item (DynamoDB JSON): one per KB, rounded up, at least one. */
    static long units(JsonNode item) {
        if (item == null) {
            return 1;
        }
        long bytes = 0;
        for (var attributes = item.fields(); attributes.hasNext(); ) {
            var attribute = attributes.next();
            bytes += attribute.getKey().getBytes(StandardCharsets.UTF_8).length + size(attribute.getValue());
        }
        return Math.max(1, (bytes + 1023) / 1024);
    }

    /** An attribute value's size as DynamoDB counts it (numbers approximately: a byte per two digits, plus one). */
    private static long size(JsonNode value) {
        var typed = value.fields().next();
        JsonNode v = typed.getValue();
        return switch (typed.getKey()) {
            case "S" -> v.asText().getBytes(StandardCharsets.UTF_8).length;
            case "N" -> v.asText().length() / 2 + 1;
            case "B" -> java.util.Base64.getDecoder().decode(v.asText()).length;
            case "BOOL", "NULL" -> 1;
            case "L" -> {
                long sum = 3;
                for (JsonNode element : v) {
                    sum += 1 + size(element);
                }
                yield sum;
            }
            case "M" -> {
                long sum = 3;
                for (var fields = v.fields(); fields.hasNext(); ) {
                    var field = fields.next();
                    sum += 1 + field.getKey().getBytes(StandardCharsets.UTF_8).length + size(field.getValue());
                }
                yield sum;
            }
            default -> {
                long sum = 0;
                for (JsonNode element : v) {
                    sum += element.asText().length();
                }
                yield sum;
            }
        };
    }

    /** Occurrences of a marker; attribute values are JSON strings, so a marker inside one is escaped and never matches. */
    static int count(byte[] body, byte[] marker) {
        int found = 0;
        outer:
        for (int i = 0; i <= body.length - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (body[i + j] != marker[j]) {
                    continue outer;
                }
            }
            found++;
            i += marker.length - 1;
        }
        return found;
    }

    /**
     * A token bucket of writes, refilled continuously, holding at most a tenth of a second's worth: DynamoDB keeps up
     * to five minutes of unused capacity for bursts, which would hide a connector that overshoots for minutes.
     */
    private static final class WriteCapacity {
        private final int perSecond;
        private final double burst;
        private double tokens;
        private long lastNanos = System.nanoTime();

        WriteCapacity(int perSecond) {
            this.perSecond = perSecond;
            this.burst = Math.max(25, perSecond / 10.0);
            this.tokens = burst;
        }

        synchronized int take(int wanted) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * perSecond);
            lastNanos = now;
            int granted = (int) Math.min(wanted, Math.floor(tokens));
            tokens -= granted;
            return granted;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
