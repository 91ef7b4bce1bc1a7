package io.streamoffload.connect.dynamodb.metrics;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters and gauges of one task, updated from the writer and upload threads. One table of metrics, each with its
 * description, is exposed twice: as the MBean
 * {@code io.streamoffload.connect.dynamodb:type=sink-task-metrics,connector=NAME,task=ID}, and on Kafka 4.1+ workers
 * through the task's {@code pluginMetrics()}, which the worker reports with its own metrics (JMX under
 * {@code kafka.connect}, and any configured metrics reporter).
 */
public final class SinkTaskMetrics implements DynamicMBean, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SinkTaskMetrics.class);
    public static final String DOMAIN = "io.streamoffload.connect.dynamodb";

    private final LongAdder itemsPut = new LongAdder();
    private final LongAdder itemsDeleted = new LongAdder();
    private final LongAdder itemsUpdated = new LongAdder();
    private final LongAdder writesSuperseded = new LongAdder();
    private final LongAdder tombstonesIgnored = new LongAdder();
    private final LongAdder partialItemsCreated = new LongAdder();
    private final LongAdder itemsMovedToNewKey = new LongAdder();
    private final LongAdder batchCalls = new LongAdder();
    private final LongAdder itemsSent = new LongAdder();
    private final LongAdder batchMillis = new LongAdder();
    private final LongAccumulator batchMillisMax = new LongAccumulator(Math::max, 0);
    private final LongAdder unprocessedItemsResent = new LongAdder();
    private final LongAdder throttledCalls = new LongAdder();
    private final LongAdder failedCallsRetried = new LongAdder();
    private final LongAdder badRecords = new LongAdder();
    private final LongAdder deadLettersSent = new LongAdder();
    private final LongAdder deadLettersParked = new LongAdder();
    private final LongAdder redeliveries = new LongAdder();
    private final LongAdder fieldsOffloaded = new LongAdder();
    private final LongAdder objectsUploaded = new LongAdder();
    private final LongAdder objectBytesUploaded = new LongAdder();
    private final LongAdder objectContentBytesUploaded = new LongAdder();
    private final LongAdder objectsDeduplicated = new LongAdder();
    private final LongAdder objectContentBytesDeduplicated = new LongAdder();
    private final LongAdder uploadMillis = new LongAdder();
    private final LongAccumulator uploadMillisMax = new LongAccumulator(Math::max, 0);
    private final LongAdder uploadsRetried = new LongAdder();
    private final LongAdder gcMarksCleared = new LongAdder();
    private volatile LongSupplier bufferedBytes = () -> 0;
    private volatile java.util.function.DoubleSupplier batchConcurrencyLimit = () -> 0;
    private volatile java.util.function.DoubleSupplier itemConcurrencyLimit = () -> 0;

    /** One metric: its JMX attribute name (its plugin metric name is the same in kebab case), what it means, its value. */
    public record Metric(String name, String description, Supplier<Number> value) {
        public String kebabName() {
            return name.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Map<String, Metric> metrics = new LinkedHashMap<>();

    public SinkTaskMetrics() {
        counter("ItemsPut", "Items written (put) and acknowledged by DynamoDB.", itemsPut);
        counter("ItemsDeleted", "Items deleted, from tombstones or delete change events, and acknowledged by DynamoDB.",
                itemsDeleted);
        counter("ItemsUpdated", "Items updated (write.mode=update) and acknowledged by DynamoDB.", itemsUpdated);
        counter("WritesSuperseded", "Versioned writes not applied because the item already held the same or a newer "
                + "version (a replay, or records out of order), or because a write in the same round to the same key "
                + "held a newer one (only the write that decides the item is sent); and change events folded into a "
                + "later write to the same key in the same round, which was sent for both.", writesSuperseded);
        counter("PartialItemsCreated", "Items a change event created without columns it could not carry (Debezium's "
                + "unavailable-value placeholder): the sink had not seen the row whole. The item lists those columns in "
                + "cdc.unavailable.columns.attribute until a whole row (an incremental snapshot) fills it.",
                partialItemsCreated);
        counter("ItemsMovedToNewKey", "Rows whose primary key changed, whose item was carried to the new key before "
                + "being deleted, so that the new item keeps the columns its own change event could not carry.",
                itemsMovedToNewKey);
        counter("TombstonesIgnored", "Tombstones skipped (tombstone.behavior=ignore, or cdc.format=debezium).", tombstonesIgnored);
        counter("BadRecords", "Records reported as bad (dead letter queue or errors.log), each with its reason.", badRecords);
        counter("DeadLettersSent", "Bad records handed to Kafka Connect's errant record reporter (the dead letter "
                + "queue, errors.log), parked ones included as their small dead letters.", deadLettersSent);
        counter("DeadLettersParked", "Bad records too large for the dead letter queue producer whose key and value were "
                + "stored in S3 under offload.dead.letter.prefix, a small dead letter naming them going to the DLQ.",
                deadLettersParked);
        counter("BatchCalls", "BatchWriteItem calls made, retries included; in update and versioned modes, the PutItem, UpdateItem and "
                + "DeleteItem calls (one item each).", batchCalls);
        metric("ItemsPerBatch", "Average write requests per call: at most 25 with BatchWriteItem; 1 in update and versioned modes.",
                () -> ratio(itemsSent.sum(), batchCalls.sum()));
        metric("BatchLatencyAvgMs", "Average time of one write call (BatchWriteItem, or PutItem, UpdateItem, DeleteItem), in ms.",
                () -> ratio(batchMillis.sum(), batchCalls.sum()));
        metric("BatchLatencyMaxMs", "Longest write call so far, in ms.", batchMillisMax::get);
        metric("BatchesInFlightLimit", "BatchWriteItem calls the task allows in flight now (0 when it writes none): "
                + "max.concurrent.batches, " + ADAPTATION, () -> batchConcurrencyLimit.getAsDouble());
        metric("ItemWritesInFlightLimit", "Single-item calls (PutItem, UpdateItem, DeleteItem, GetItem) the task "
                + "allows in flight now (0 when it makes none): max.concurrent.item.writes, " + ADAPTATION,
                () -> itemConcurrencyLimit.getAsDouble());
        counter("ThrottledCalls", "Calls DynamoDB throttled, then retried with backoff.", throttledCalls);
        counter("UnprocessedItemsResent", "Write requests DynamoDB returned as UnprocessedItems, then sent again.",
                unprocessedItemsResent);
        counter("FailedCallsRetried", "Calls that failed for another transient reason, then retried.", failedCallsRetried);
        counter("Redeliveries", "Times the task asked Kafka Connect to pause and redeliver because writes were not yet "
                + "durable after the retry budget.", redeliveries);
        counter("FieldsOffloaded", "Fields replaced by a pointer to an S3 object.", fieldsOffloaded);
        counter("ObjectsUploaded", "Objects stored in S3 by this task.", objectsUploaded);
        counter("ObjectBytesUploaded", "Bytes stored in S3 by this task, compressed.", objectBytesUploaded);
        counter("ObjectsDeduplicated", "Offloaded fields whose object was already stored (seen by this task, or found "
                + "by the conditional PUT), so nothing was uploaded.", objectsDeduplicated);
        counter("ObjectContentBytesDeduplicated", "Bytes of field content not uploaded because the object was already "
                + "stored.", objectContentBytesDeduplicated);
        metric("CompressionRatio", "Bytes stored per byte of field content, over all uploads (0.2 means 5x smaller).",
                () -> ratio(objectBytesUploaded.sum(), objectContentBytesUploaded.sum()));
        metric("UploadLatencyAvgMs", "Average time to compress and store one object, retries included, in ms.",
                () -> ratio(uploadMillis.sum(), objectsUploaded.sum()));
        metric("UploadLatencyMaxMs", "Longest time to compress and store one object so far, in ms.", uploadMillisMax::get);
        counter("UploadsRetried", "Upload attempts that failed transiently and were retried.", uploadsRetried);
        counter("GcMarksCleared", "Objects about to be reused that carried a garbage-collection mark, which the task "
                + "removed before naming them again (see dynamodb-offload gc).", gcMarksCleared);
        metric("BytesHeldForUploads", "Bytes of field content held right now for uploads that have not finished "
                + "(bounded by offload.max.buffered.bytes).", () -> bufferedBytes.getAsLong());
    }

    private void counter(String name, String description, LongAdder adder) {
        metric(name, description, adder::sum);
    }

    private void metric(String name, String description, Supplier<Number> value) {
        metrics.put(name, new Metric(name, description, value));
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0.0 : (double) a / b;
    }

    /** Every metric, in the order docs/monitoring.md lists them. */
    public List<Metric> all() {
        return new ArrayList<>(metrics.values());
    }

    /** A metric's current value, by its JMX attribute name. */
    public Number get(String name) {
        Metric metric = metrics.get(name);
        if (metric == null) {
            throw new IllegalArgumentException("no metric " + name);
        }
        return metric.value().get();
    }

    /**
     * Which instance each name belongs to. A task restarted while its predecessor is still stopping (Connect only
     * waits task.shutdown.graceful.timeout.ms) registers under the same name; the predecessor's close() must then
     * leave the newer registration alone.
     */
    private static final Map<ObjectName, SinkTaskMetrics> OWNERS = new ConcurrentHashMap<>();
    private volatile ObjectName registeredAs;
    private final List<Runnable> unregisterPluginMetrics = new ArrayList<>();

    /** Registers with the platform MBean server, replacing an older task's registration under the same name. */
    public SinkTaskMetrics register(String connector, String task) {
        try {
            ObjectName name = new ObjectName(DOMAIN + ":type=sink-task-metrics,connector="
                    + ObjectName.quote(connector) + ",task=" + ObjectName.quote(task));
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            OWNERS.compute(name, (n, previous) -> {
                try {
                    if (server.isRegistered(n)) {
                        server.unregisterMBean(n);
                    }
                    server.registerMBean(this, n);
                    registeredAs = n;
                    return this;
                } catch (JMException e) {
                    log.warn("Could not register task metrics over JMX: {}", e.toString());
                    return previous;
                }
            });
        } catch (JMException e) {
            log.warn("Could not register task metrics over JMX: {}", e.toString());
        }
        return this;
    }

    /** Adds every metric to the worker's own metrics (Kafka 4.1+), tagged by the worker with connector and task. */
    public void register(PluginMetrics plugin) {
        for (Metric metric : metrics.values()) {
            MetricName name = plugin.metricName(metric.kebabName(), metric.description(), new LinkedHashMap<>());
            plugin.addMetric(name, (Gauge<Number>) (config, now) -> metric.value().get());
            unregisterPluginMetrics.add(() -> plugin.removeMetric(name));
        }
    }

    public void putWritten(long n) {
        itemsPut.add(n);
    }

    public void deleteWritten(long n) {
        itemsDeleted.add(n);
    }

    public void updateWritten(long n) {
        itemsUpdated.add(n);
    }

    public void writeSuperseded() {
        writesSuperseded.increment();
    }

    public void partialItemCreated() {
        partialItemsCreated.increment();
    }

    public void itemMovedToNewKey() {
        itemsMovedToNewKey.increment();
    }

    public void tombstoneIgnored() {
        tombstonesIgnored.increment();
    }

    /** One write call (BatchWriteItem, or one item's PutItem, UpdateItem or DeleteItem) of {@code items} writes. */
    public void writeCall(int items, long millis) {
        batchCalls.increment();
        itemsSent.add(items);
        batchMillis.add(millis);
        batchMillisMax.accumulate(millis);
    }

    public void unprocessedResent(long n) {
        unprocessedItemsResent.add(n);
    }

    public void callRetried(boolean throttled) {
        (throttled ? throttledCalls : failedCallsRetried).increment();
    }

    public void badRecord() {
        badRecords.increment();
    }

    public void deadLetterSent() {
        deadLettersSent.increment();
    }

    public void deadLetterParked() {
        deadLettersParked.increment();
    }

    public void redelivery() {
        redeliveries.increment();
    }

    public void fieldOffloaded() {
        fieldsOffloaded.increment();
    }

    /** An object of {@code contentBytes} stored as {@code storedBytes}, {@code millis} after its upload began. */
    public void objectUploaded(long contentBytes, long storedBytes, long millis) {
        objectsUploaded.increment();
        objectContentBytesUploaded.add(contentBytes);
        objectBytesUploaded.add(storedBytes);
        uploadMillis.add(millis);
        uploadMillisMax.accumulate(millis);
    }

    public void objectDeduplicated(long contentBytes) {
        objectsDeduplicated.increment();
        objectContentBytesDeduplicated.add(contentBytes);
    }

    public void gcMarkCleared() {
        gcMarksCleared.increment();
    }

    public void uploadRetried() {
        uploadsRetried.increment();
    }

    private static final String ADAPTATION = "20% less each time DynamoDB throttles, one less per round while calls "
            + "queue at the server (latency well above its floor, unless fewer calls cost throughput), 0.8% more per "
            + "round of calls taken whole otherwise; below 1, the share of time one call is in flight.";

    /** The batch writer's calls in flight. */
    public void batchConcurrencyGauge(java.util.function.DoubleSupplier limit) {
        this.batchConcurrencyLimit = limit;
    }

    /** The item writer's calls in flight: a task writing change events has both writers, each adapting alone. */
    public void itemConcurrencyGauge(java.util.function.DoubleSupplier limit) {
        this.itemConcurrencyLimit = limit;
    }

    public void bufferedBytesGauge(LongSupplier held) {
        this.bufferedBytes = held;
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        Metric metric = metrics.get(attribute);
        if (metric == null) {
            throw new AttributeNotFoundException(attribute);
        }
        return metric.value().get();
    }

    @Override
    public void setAttribute(Attribute attribute) {
        throw new UnsupportedOperationException("task metrics are read-only");
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList list = new AttributeList();
        for (String name : attributes) {
            Metric metric = metrics.get(name);
            if (metric != null) {
                list.add(new Attribute(name, metric.value().get()));
            }
        }
        return list;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) {
        throw new UnsupportedOperationException("task metrics have no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        MBeanAttributeInfo[] attributes = metrics.values().stream()
                .map(m -> new MBeanAttributeInfo(m.name(), m.value().get().getClass().getName(),
                        m.description(), true, false, false))
                .toArray(MBeanAttributeInfo[]::new);
        return new MBeanInfo(getClass().getName(), "DynamoDB sink task metrics", attributes, null, null, null);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        metrics.values().forEach(m -> text.append(text.length() == 0 ? "" : " ").append(m.name()).append('=')
                .append(m.value().get()));
        return text.toString();
    }

    @Override
    public void close() {
        unregisterPluginMetrics.forEach(Runnable::run);
        unregisterPluginMetrics.clear();
        ObjectName name = registeredAs;
        if (name == null) {
            return;
        }
        registeredAs = null;
        OWNERS.computeIfPresent(name, (n, owner) -> {
            if (owner != this) {
                return owner; // a newer task holds the name now
            }
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(n);
            } catch (JMException e) {
                log.debug("Task metrics were already unregistered: {}", e.toString());
            }
            return null;
        });
    }
}
