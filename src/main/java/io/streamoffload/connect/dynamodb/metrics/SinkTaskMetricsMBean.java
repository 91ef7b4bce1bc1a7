package io.streamoffload.connect.dynamodb.metrics;

/** What one task exposes over JMX. */
public interface SinkTaskMetricsMBean {
    long getItemsPut();

    long getItemsDeleted();

    long getTombstonesIgnored();

    long getBatchCalls();

    long getUnprocessedItemsResent();

    long getThrottledCalls();

    long getFailedCallsRetried();

    long getBadRecords();

    long getRedeliveries();

    long getFieldsOffloaded();

    long getObjectsUploaded();

    long getObjectBytesUploaded();

    long getObjectsDeduplicated();

    long getUploadsRetried();
}
