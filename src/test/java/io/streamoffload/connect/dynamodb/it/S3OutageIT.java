package io.streamoffload.connect.dynamodb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.offload.Pointer;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import io.streamoffload.connect.dynamodb.it.stack.FaultProxy;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * S3 goes away while records arrive: no item is written with a pointer to an object that is not there, the task
 * keeps running (retries, then redeliveries), and once S3 is back every record arrives and reads back.
 */
@ExtendWith(InJvmStackExtension.class)
class S3OutageIT extends ConnectorTestBase {
    private final SinkTestStack stack;

    S3OutageIT(SinkTestStack stack) {
        this.stack = stack;
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }

    private static long uploadsRetried(String connector) throws Exception {
        ObjectName name = new ObjectName(SinkTaskMetrics.DOMAIN + ":type=sink-task-metrics,connector="
                + ObjectName.quote(connector) + ",task=" + ObjectName.quote("0"));
        return (Long) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "UploadsRetried");
    }

    @Test
    void noDanglingPointerWhileS3IsDownAndEverythingArrivesAfterwards() throws Exception {
        String topic = unique("outage");
        String bucket = unique("outage-bucket").toLowerCase();
        String connector = unique("outage");
        AtomicBoolean s3Down = new AtomicBoolean(false);
        try (var s3 = stack.newS3Client(); FaultProxy proxy = new FaultProxy(stack.s3Endpoint(), FaultProxy.Service.S3)
                .script(r -> s3Down.get() ? FaultProxy.Fault.reset() : FaultProxy.Fault.FORWARD);
             OffloadedItemReader reader = new OffloadedItemReader(s3)) {
            s3.createBucket(b -> b.bucket(bucket));
            kafka.createTopic(topic, 1);
            Map<String, String> config = baseConfig(topic);
            config.put("offload.s3.bucket", bucket);
            config.put("s3.path.style.access", "true");
            config.put("s3.endpoint.url", proxy.uri().toString());
            config.put("offload.fields", "body");
            config.put("retry.budget.ms", "1000");
            config.put("retry.backoff.max.ms", "200");
            config.put("retry.max.redeliveries", "1000");
            startConnector(connector, config);

            kafka.produce(topic, "before", "{\"body\":\"written while S3 is up\"}");
            awaitItem(topic, pk("before"));

            s3Down.set(true); // every request's connection is cut, as when S3 is unreachable
            for (int i = 0; i < 20; i++) {
                kafka.produce(topic, "during-" + i, "{\"body\":\"body " + i + "\",\"n\":" + i + "}");
            }
            // the task has tried S3 and failed, several times over
            await().atMost(TIMEOUT).ignoreExceptions().until(() -> uploadsRetried(connector) >= 5);
            assertThat(dynamo.scan(r -> r.tableName(topic)).items())
                    .as("only the item written before the outage exists")
                    .extracting(item -> item.get("pk").s()).containsExactly("before");
            assertThat(connect.status(connector).path("tasks").get(0).path("state").asText()).isEqualTo("RUNNING");

            s3Down.set(false);
            await().atMost(TIMEOUT).until(() -> dynamo.scan(r -> r.tableName(topic)).count() == 21);
            List<Map<String, AttributeValue>> items = dynamo.scan(r -> r.tableName(topic)).items();
            for (Map<String, AttributeValue> item : items) {
                Pointer pointer = Pointer.fromAttribute(item.get("body")).orElseThrow();
                assertThat(s3.headObject(h -> h.bucket(bucket).key(pointer.key())).contentLength()).isPositive();
                String pk = item.get("pk").s();
                String expected = pk.equals("before") ? "written while S3 is up" : "body " + pk.substring("during-".length());
                assertThat(reader.hydrate(item).text("body")).isEqualTo(expected);
            }
        }
    }
}
