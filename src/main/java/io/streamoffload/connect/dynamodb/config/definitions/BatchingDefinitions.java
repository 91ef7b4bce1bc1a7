package io.streamoffload.connect.dynamodb.config.definitions;

import io.streamoffload.connect.dynamodb.config.ConfigChoice;
import io.streamoffload.connect.dynamodb.config.ItemBatching;
import io.streamoffload.connect.dynamodb.config.Validators;
import io.streamoffload.connect.dynamodb.mapping.DynamoDbLimits;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The Batching and retries group: calls of how many writes, how many calls in flight, and how long and how often to retry.
 */
public final class BatchingDefinitions {
    public static final String GROUP_BATCHING = "Batching and retries";

    public static final String BATCH_SIZE = "batch.size";
    private static final String BATCH_SIZE_DOC = "Write requests per BatchWriteItem call; DynamoDB allows at most 25. "
            + "A call is also cut before it would exceed 16 MB.";
    public static final String MAX_CONCURRENT_BATCHES = "max.concurrent.batches";
    private static final String MAX_CONCURRENT_BATCHES_DOC = "How many BatchWriteItem calls one task keeps in flight at once.";
    public static final String MAX_CONCURRENT_ITEM_WRITES = "max.concurrent.item.writes";
    private static final String MAX_CONCURRENT_ITEM_WRITES_DOC = "How many single-item calls (PutItem, UpdateItem, "
            + "DeleteItem: write.mode=update and versioned writes) one task keeps in flight at once, each to another "
            + "key. One item per call makes a call's latency the limit: calls in flight / latency is the rate. The "
            + "adaptive limit stays at or below this, and lower when DynamoDB throttles or its latency climbs with the "
            + "calls in flight. With the netty and crt clients no thread waits for a call; with apache each call in "
            + "flight is a thread of the task.";
    public static final String ITEM_WRITES_HTTP_CLIENT = "item.writes.http.client";
    private static final String ITEM_WRITES_HTTP_CLIENT_DOC = "The HTTP client of single-item calls. 'netty': the AWS "
            + "SDK's asynchronous client on Netty, no thread per call in flight (about 30% less CPU per call than a "
            + "thread per call: docs/performance.md). 'crt': the asynchronous client on the AWS Common Runtime, the "
            + "least CPU per call (about 55% less), in native code bundled for Linux (x86_64, aarch64, armv6/7, x86; "
            + "glibc and musl), macOS and Windows; where it cannot load, the task logs a WARN naming the platform and "
            + "uses 'netty'. Not the default: it crashed a benchmark's worker JVM once, in native code (see "
            + "docs/performance.md). 'apache': the Apache 5 client of BatchWriteItem calls, a thread per call in flight.";
    public static final String ITEM_WRITES_BATCHING = "item.writes.batching";
    private static final String ITEM_WRITES_BATCHING_DOC = "How single-item writes (write.mode=update, versioned "
            + "writes, change events) travel. 'none': a call each (PutItem, UpdateItem, DeleteItem). 'transactions': "
            + "the writes under way at once go together in TransactWriteItems calls of up to 100 writes and 4 MB, "
            + "each keeping its own condition; a write alone still goes as its own call. Fewer calls, at twice the "
            + "write units per KB of each write a transaction carries (docs/write-modes.md says when that pays). A "
            + "write whose condition fails is superseded as before; the other writes of its transaction go in the "
            + "next one.";
    public static final String RETRY_BUDGET_MS = "retry.budget.ms";
    private static final String RETRY_BUDGET_MS_DOC = "How long one put() keeps retrying throttled, unprocessed or failed "
            + "writes before handing the records back to Kafka Connect for redelivery.";
    public static final String RETRY_BACKOFF_BASE_MS = "retry.backoff.base.ms";
    private static final String RETRY_BACKOFF_BASE_MS_DOC = "The first retry waits up to this long; each further retry doubles "
            + "the ceiling (full jitter: the wait is uniform between zero and the ceiling).";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    private static final String RETRY_BACKOFF_MAX_MS_DOC = "The cap on the backoff ceiling, and the wait Kafka Connect is "
            + "asked to observe before redelivering.";
    public static final String RETRY_MAX_REDELIVERIES = "retry.max.redeliveries";
    private static final String RETRY_MAX_REDELIVERIES_DOC = "How many times in a row a batch of records may be handed back "
            + "for redelivery after its retry budget is spent, without any of its pending writes getting through, "
            + "before the task fails with the reason. Rounds that make progress do not count.";

    private BatchingDefinitions() {
    }

    /** Adds the group's settings to the connector's ConfigDef. */
    public static void define(ConfigDef def) {
        int order = 0;
        def.define(BATCH_SIZE, Type.INT, DynamoDbLimits.MAX_BATCH_REQUESTS,
                ConfigDef.Range.between(1, DynamoDbLimits.MAX_BATCH_REQUESTS), Importance.MEDIUM, BATCH_SIZE_DOC,
                GROUP_BATCHING, order++, Width.SHORT, "Batch size");
        def.define(MAX_CONCURRENT_BATCHES, Type.INT, 4, ConfigDef.Range.between(1, 64), Importance.MEDIUM,
                MAX_CONCURRENT_BATCHES_DOC, GROUP_BATCHING, order++, Width.SHORT, "Concurrent batches");
        def.define(MAX_CONCURRENT_ITEM_WRITES, Type.INT, 32, ConfigDef.Range.between(1, 256), Importance.MEDIUM,
                MAX_CONCURRENT_ITEM_WRITES_DOC, GROUP_BATCHING, order++, Width.SHORT, "Concurrent item writes");
        def.define(ITEM_WRITES_HTTP_CLIENT, Type.STRING, "netty", Validators.oneOf("netty", "crt", "apache"), Importance.LOW,
                ITEM_WRITES_HTTP_CLIENT_DOC, GROUP_BATCHING, order++, Width.SHORT, "Item writes HTTP client");
        def.define(ITEM_WRITES_BATCHING, Type.STRING, ItemBatching.NONE.configValue(),
                Validators.oneOf(ConfigChoice.values(ItemBatching.class)), Importance.LOW, ITEM_WRITES_BATCHING_DOC,
                GROUP_BATCHING, order++, Width.SHORT, "Item writes batching");
        def.define(RETRY_BUDGET_MS, Type.LONG, 30_000L, ConfigDef.Range.between(0, 3_600_000), Importance.MEDIUM,
                RETRY_BUDGET_MS_DOC, GROUP_BATCHING, order++, Width.SHORT, "Retry budget (ms)");
        def.define(RETRY_BACKOFF_BASE_MS, Type.LONG, 50L, ConfigDef.Range.between(1, 60_000), Importance.LOW,
                RETRY_BACKOFF_BASE_MS_DOC, GROUP_BATCHING, order++, Width.SHORT, "Backoff base (ms)");
        def.define(RETRY_BACKOFF_MAX_MS, Type.LONG, 5_000L, ConfigDef.Range.between(1, 600_000), Importance.LOW,
                RETRY_BACKOFF_MAX_MS_DOC, GROUP_BATCHING, order++, Width.SHORT, "Backoff cap (ms)");
        def.define(RETRY_MAX_REDELIVERIES, Type.INT, 10, ConfigDef.Range.between(0, 1_000), Importance.LOW,
                RETRY_MAX_REDELIVERIES_DOC, GROUP_BATCHING, order, Width.SHORT, "Max redeliveries");
    }
}
