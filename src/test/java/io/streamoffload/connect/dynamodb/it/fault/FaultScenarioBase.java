package io.streamoffload.connect.dynamodb.it.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamoffload.connect.dynamodb.it.ConnectorTestBase;
import io.streamoffload.connect.dynamodb.it.stack.FaultProxy;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A connector between fault proxies and the real backends: dynalite and s3proxy behind {@link FaultProxy}s that
 * each scenario scripts, records produced through a {@link Ledger}, and a reconciliation at the end that the test does
 * itself and prints.
 */
abstract class FaultScenarioBase extends ConnectorTestBase {
    protected FaultProxy dynamoProxy;
    protected FaultProxy s3Proxy;
    protected S3Client s3;
    protected OffloadedItemReader reader;
    protected Admin admin;
    protected String topic;
    protected String dlq;
    protected String bucket;
    protected Ledger ledger;
    private String scenario;

    @BeforeEach
    void setUpFaults(TestInfo test) throws Exception {
        scenario = test.getDisplayName();
        dynamoProxy = new FaultProxy(stack().dynamoDbEndpoint(), FaultProxy.Service.DYNAMODB);
        s3Proxy = new FaultProxy(stack().s3Endpoint(), FaultProxy.Service.S3);
        s3 = stack().newS3Client();
        reader = new OffloadedItemReader(s3);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack().bootstrapServers()));
        topic = unique("faults");
        dlq = topic + "-dlq";
        bucket = unique("faults").toLowerCase();
        s3.createBucket(b -> b.bucket(bucket));
        kafka.createTopic(topic, partitions());
        kafka.createTopic(dlq, 1);
        ledger = new Ledger(stack().bootstrapServers(), topic, "body");
    }

    @AfterEach
    void tearDownFaults() throws Exception {
        ledger.close();
        admin.close();
        reader.close();
        s3.close();
        dynamoProxy.close();
        s3Proxy.close();
    }

    /** How many partitions the scenario's topic has. */
    protected int partitions() {
        return 1;
    }

    /** Offload of {@code body} on, DLQ on, short budgets, both clients through the proxies. */
    protected Map<String, String> faultConfig() {
        Map<String, String> config = baseConfig(topic);
        config.put("dynamodb.endpoint.url", dynamoProxy.uri().toString());
        config.put("s3.endpoint.url", s3Proxy.uri().toString());
        config.put("s3.path.style.access", "true");
        config.put("offload.s3.bucket", bucket);
        config.put("offload.fields", "body");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        config.put("retry.budget.ms", "2000");
        config.put("retry.backoff.base.ms", "20");
        config.put("retry.backoff.max.ms", "200");
        config.put("retry.max.redeliveries", "100");
        config.put("aws.api.call.attempt.timeout.ms", "1500");
        return config;
    }

    /**
     * Produces records {@code from} to {@code from + n - 1} over 251 keys: puts whose 41 bodies repeat across records and
     * keys, and a tombstone for every seventh record.
     */
    protected void produceMix(int from, int n) {
        for (int i = from; i < from + n; i++) {
            String key = "k-" + (i % 251);
            if (i % 7 == 6) {
                ledger.delete(key);
            } else {
                ledger.put(key, "{\"n\":" + i + ",\"body\":\"payload " + (i % 41) + " " + "x".repeat(300)
                        + "\",\"tags\":[\"a\",\"b\"],\"price\":-1.5}");
            }
        }
        ledger.flush();
    }

    /** Waits until every record has its outcome, then prints and checks the reconciliation. */
    protected Ledger.Report awaitReconciled() {
        AtomicReference<Ledger.Report> last = new AtomicReference<>();
        try {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
                last.set(ledger.reconcile(dynamo, topic, s3, bucket, reader, dlq));
                return last.get().lost().isEmpty();
            });
        } catch (ConditionTimeoutException e) {
            // reported below with what is missing
        }
        Ledger.Report report = last.get();
        System.out.println("[fault suite] " + scenario + ": " + report);
        System.out.println("[fault suite] " + scenario + ": DynamoDB proxy " + dynamoProxy.counts() + ", S3 proxy "
                + s3Proxy.counts());
        assertThat(report.lost()).as("records without their outcome").isEmpty();
        assertThat(report.objects()).as("one object per distinct payload: none missing, none twice")
                .isEqualTo(report.distinctPayloads());
        Set<String> allowed = IamPolicy.actions(IamPolicy.WITH_OFFLOAD);
        dynamoProxy.operations().forEach(op -> assertThat(allowed).as("the IAM policy in config/ allows what the "
                + "connector calls").contains(IamPolicy.actionFor("dynamodb", op)));
        s3Proxy.operations().forEach(op -> assertThat(allowed).as("the IAM policy in config/ allows what the "
                + "connector calls").contains(IamPolicy.actionFor("s3", op)));
        return report;
    }

    /** The offset the connector's consumer group has committed for the scenario's topic, or -1. */
    protected long committedOffset() throws Exception {
        return committedOffset(connectorName);
    }

    protected long committedOffset(String connector) throws Exception {
        return committedOffset(connector, topic);
    }

    @Override
    protected abstract SinkTestStack stack();
}
