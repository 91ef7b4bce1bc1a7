package io.streamoffload.connect.dynamodb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The task metrics, read from a running Connect worker (in this JVM) the way an operator reads them: the connector's
 * own MBean, and the same metrics among the worker's plugin metrics (Kafka 4.1+).
 */
@ExtendWith(InJvmStackExtension.class)
class TaskMetricsIT extends ConnectorTestBase {
    private final SinkTestStack stack;
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    TaskMetricsIT(SinkTestStack stack) {
        this.stack = stack;
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }

    @Test
    void aRunningTaskReportsWritesOffloadsDedupeAndLatencies() throws Exception {
        String topic = unique("metrics");
        String bucket = unique("metrics-bucket").toLowerCase();
        try (S3Client s3 = stack.newS3Client()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        kafka.createTopic(topic, 1);
        Map<String, String> config = baseConfig(topic);
        config.put("offload.s3.bucket", bucket);
        config.put("s3.path.style.access", "true");
        config.put("offload.fields", "body");
        String name = unique("metrics");
        startConnector(name, config);

        String body = OffloadScenarios.html(3, 200 * 1024);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (int i = 0; i < 60; i++) {
            kafka.produceAsync(topic, "r" + i, "{\"n\":" + i + ",\"body\":"
                    + json.writeValueAsString(i % 2 == 0 ? body : "short " + i) + "}");
        }
        kafka.produceAsync(topic, "r0", null);
        kafka.flush();

        ObjectName task = new ObjectName(SinkTaskMetrics.DOMAIN + ":type=sink-task-metrics,connector="
                + ObjectName.quote(name) + ",task=" + ObjectName.quote("0"));
        await().atMost(TIMEOUT).until(() -> server.isRegistered(task) && number(task, "ItemsDeleted") == 1);

        assertThat(number(task, "ItemsPut")).isEqualTo(60);
        assertThat(number(task, "BadRecords")).isZero();
        assertThat(number(task, "FieldsOffloaded")).isEqualTo(60);
        assertThat(number(task, "ObjectsUploaded")).as("one body and 30 short texts").isEqualTo(31);
        assertThat(number(task, "ObjectsDeduplicated")).isEqualTo(29);
        assertThat(number(task, "ObjectContentBytesDeduplicated")).isEqualTo(29L * body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThat(number(task, "CompressionRatio")).isGreaterThan(0).isLessThan(0.9);
        assertThat(number(task, "BatchCalls")).isPositive();
        assertThat(number(task, "ItemsPerBatch")).isGreaterThanOrEqualTo(1).isLessThanOrEqualTo(25);
        assertThat(number(task, "BatchLatencyMaxMs")).isGreaterThanOrEqualTo(number(task, "BatchLatencyAvgMs"));
        assertThat(number(task, "UploadLatencyMaxMs")).isGreaterThanOrEqualTo(number(task, "UploadLatencyAvgMs"));
        assertThat(number(task, "BytesHeldForUploads")).isZero();
        assertThat(server.getMBeanInfo(task).getAttributes()).extracting(MBeanAttributeInfo::getDescription)
                .allSatisfy(description -> assertThat(description).isNotBlank());

        // the worker reports the same metrics as its own, tagged with the connector and the task
        Set<ObjectName> plugin = server.queryNames(new ObjectName("kafka.connect:connector=" + name + ",*"), null);
        ObjectName withOurs = plugin.stream().filter(n -> hasAttribute(n, "items-put")).findFirst()
                .orElseThrow(() -> new AssertionError("no plugin metrics among " + plugin));
        assertThat(((Number) server.getAttribute(withOurs, "items-put")).longValue()).isEqualTo(60);
        assertThat(((Number) server.getAttribute(withOurs, "objects-deduplicated")).longValue()).isEqualTo(29);
    }

    private double number(ObjectName name, String attribute) throws Exception {
        return ((Number) server.getAttribute(name, attribute)).doubleValue();
    }

    private boolean hasAttribute(ObjectName name, String attribute) {
        try {
            for (MBeanAttributeInfo info : server.getMBeanInfo(name).getAttributes()) {
                if (info.getName().equals(attribute)) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }
}
