package io.streamoffload.connect.dynamodb.metrics;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters of one task, updated from the writer threads and registered as the MBean
 * {@code io.streamoffload.connect.dynamodb:type=sink-task-metrics,connector=NAME,task=ID}.
 */
public final class SinkTaskMetrics implements SinkTaskMetricsMBean, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SinkTaskMetrics.class);
    public static final String DOMAIN = "io.streamoffload.connect.dynamodb";

    private final LongAdder itemsPut = new LongAdder();
    private final LongAdder itemsDeleted = new LongAdder();
    private final LongAdder tombstonesIgnored = new LongAdder();
    private final LongAdder batchCalls = new LongAdder();
    private final LongAdder unprocessedItemsResent = new LongAdder();
    private final LongAdder throttledCalls = new LongAdder();
    private final LongAdder failedCallsRetried = new LongAdder();
    private final LongAdder badRecords = new LongAdder();
    private final LongAdder redeliveries = new LongAdder();
    private final LongAdder fieldsOffloaded = new LongAdder();
    private final LongAdder objectsUploaded = new LongAdder();
    private final LongAdder objectBytesUploaded = new LongAdder();
    private final LongAdder objectsDeduplicated = new LongAdder();
    private final LongAdder uploadsRetried = new LongAdder();
    private volatile ObjectName registeredAs;

    /**
     * Which instance each name belongs to. A task restarted while its predecessor is still stopping (Connect only
     * waits task.shutdown.graceful.timeout.ms) registers under the same name; the predecessor's close() must then
     * leave the newer registration alone.
     */
    private static final Map<ObjectName, SinkTaskMetrics> OWNERS = new ConcurrentHashMap<>();

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

    public void putWritten(long n) {
        itemsPut.add(n);
    }

    public void deleteWritten(long n) {
        itemsDeleted.add(n);
    }

    public void tombstoneIgnored() {
        tombstonesIgnored.increment();
    }

    public void batchCall() {
        batchCalls.increment();
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

    public void redelivery() {
        redeliveries.increment();
    }

    public void fieldOffloaded() {
        fieldsOffloaded.increment();
    }

    public void objectUploaded(long storedBytes) {
        objectsUploaded.increment();
        objectBytesUploaded.add(storedBytes);
    }

    public void objectDeduplicated() {
        objectsDeduplicated.increment();
    }

    public void uploadRetried() {
        uploadsRetried.increment();
    }

    @Override
    public long getFieldsOffloaded() {
        return fieldsOffloaded.sum();
    }

    @Override
    public long getObjectsUploaded() {
        return objectsUploaded.sum();
    }

    @Override
    public long getObjectBytesUploaded() {
        return objectBytesUploaded.sum();
    }

    @Override
    public long getObjectsDeduplicated() {
        return objectsDeduplicated.sum();
    }

    @Override
    public long getUploadsRetried() {
        return uploadsRetried.sum();
    }

    @Override
    public long getItemsPut() {
        return itemsPut.sum();
    }

    @Override
    public long getItemsDeleted() {
        return itemsDeleted.sum();
    }

    @Override
    public long getTombstonesIgnored() {
        return tombstonesIgnored.sum();
    }

    @Override
    public long getBatchCalls() {
        return batchCalls.sum();
    }

    @Override
    public long getUnprocessedItemsResent() {
        return unprocessedItemsResent.sum();
    }

    @Override
    public long getThrottledCalls() {
        return throttledCalls.sum();
    }

    @Override
    public long getFailedCallsRetried() {
        return failedCallsRetried.sum();
    }

    @Override
    public long getBadRecords() {
        return badRecords.sum();
    }

    @Override
    public long getRedeliveries() {
        return redeliveries.sum();
    }

    @Override
    public String toString() {
        return "put=" + getItemsPut() + " deleted=" + getItemsDeleted() + " tombstonesIgnored=" + getTombstonesIgnored()
                + " batchCalls=" + getBatchCalls() + " unprocessedResent=" + getUnprocessedItemsResent()
                + " throttled=" + getThrottledCalls() + " otherRetries=" + getFailedCallsRetried()
                + " badRecords=" + getBadRecords() + " redeliveries=" + getRedeliveries()
                + " fieldsOffloaded=" + getFieldsOffloaded() + " objectsUploaded=" + getObjectsUploaded()
                + " objectBytesUploaded=" + getObjectBytesUploaded() + " objectsDeduplicated=" + getObjectsDeduplicated()
                + " uploadsRetried=" + getUploadsRetried();
    }

    @Override
    public void close() {
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
