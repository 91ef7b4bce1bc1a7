package io.streamoffload.connect.dynamodb.it.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamoffload.connect.dynamodb.it.stack.FaultProxy.AwsError;
import io.streamoffload.connect.dynamodb.it.stack.FaultProxy.Fault;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStack;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.RecordingSts;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.testutil.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * With DEBUG logging on for the connector and the AWS SDK, while credentials are fetched (one STS failure), writes are
 * throttled, uploads refused, and bad records reported: no secret appears in the worker's log, in what the REST API
 * returns, or in any exception message. Secrets reach the connector through a config provider, which is how Kafka
 * Connect keeps them out of its REST API (it returns connector configs as they were submitted). One SDK logger is the
 * exception, and the connector warns about it: the SigV4 signer logs canonical requests, session tokens included.
 */
@ExtendWith(InJvmStackExtension.class)
class SecretsIT extends FaultScenarioBase {
    private static final String BASE_ACCESS_KEY = "AKIABASESECRETSIT001";
    private static final String BASE_SECRET = "base-secret-access-key-8f3k2p";
    private static final String BASE_TOKEN = "base-session-token-9x7c1v";
    private static final String EXTERNAL_ID = "external-id-4j2m6n";
    private static final String WRONG_S3_SECRET = "wrong-s3-secret-2w8q4r";
    private static final String SIGNER_LOGGER = "software.amazon.awssdk.http.auth.aws.internal.signer";
    private final InJvmStack stack;

    SecretsIT(InJvmStack stack) {
        this.stack = stack;
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }

    @Test
    void noSecretInTheLogRestApiOrExceptionMessagesWithDebugLoggingOn(@TempDir Path dir) throws Exception {
        Path secrets = Files.writeString(dir.resolve("secrets.properties"), String.join("\n",
                "baseKey=" + BASE_ACCESS_KEY, "baseSecret=" + BASE_SECRET, "baseToken=" + BASE_TOKEN,
                "externalId=" + EXTERNAL_ID, "s3Secret=" + stack.secretAccessKey()));
        String file = "${file:" + secrets + ":";
        List<String> secretValues = new ArrayList<>(List.of(BASE_ACCESS_KEY, BASE_SECRET, BASE_TOKEN, EXTERNAL_ID,
                stack.secretAccessKey(), WRONG_S3_SECRET));
        try (RecordingSts sts = new RecordingSts(stack.moto().endpoint());
             LogCapture logs = new LogCapture()) {
            connect.setLogLevel("io.streamoffload", "DEBUG");
            connect.setLogLevel("software.amazon.awssdk", "DEBUG");
            connect.setLogLevel(SIGNER_LOGGER, "INFO");
            try {
                sts.failNext(1);
                AtomicInteger calls = new AtomicInteger();
                dynamoProxy.script(r -> r.operation().equals("BatchWriteItem") && calls.incrementAndGet() % 3 == 0
                        ? Fault.error(AwsError.throttling()) : Fault.FORWARD);
                AtomicInteger puts = new AtomicInteger();
                s3Proxy.script(r -> r.operation().equals("PutObject") && puts.incrementAndGet() % 4 == 0
                        ? Fault.error(AwsError.slowDown()) : Fault.FORWARD);
                Map<String, String> config = faultConfig();
                config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
                config.put("aws.secret.access.key", file + "s3Secret}");
                config.put("dynamodb.credentials.provider", "static");
                config.put("dynamodb.access.key.id", file + "baseKey}");
                config.put("dynamodb.secret.access.key", file + "baseSecret}");
                config.put("dynamodb.session.token", file + "baseToken}");
                config.put("dynamodb.assume.role.arn", "arn:aws:iam::123456789012:role/connector");
                config.put("dynamodb.assume.role.external.id", file + "externalId}");
                config.put("aws.sts.endpoint.url", sts.uri().toString());
                startConnector(unique("secrets"), config);
                for (int i = 0; i < 60; i++) {
                    ledger.put("k-" + i, "{\"body\":\"payload " + (i % 7) + "\",\"n\":" + i + "}");
                }
                ledger.bad("bad".getBytes(StandardCharsets.UTF_8), "{\"n\":1e999}".getBytes(StandardCharsets.UTF_8),
                        "outside DynamoDB's number range");
                awaitReconciled();

                // a second connector whose S3 secret is wrong: s3proxy refuses its signatures, and the connector fails
                // at start, when it checks its offload bucket
                String wrongTopic = topic + "-wrong";
                kafka.createTopic(wrongTopic, 1);
                kafka.produce(wrongTopic, "k", "{\"body\":\"needs S3\"}");
                Map<String, String> wrong = baseConfig(wrongTopic);
                wrong.put("offload.s3.bucket", bucket);
                wrong.put("offload.fields", "body");
                wrong.put("s3.path.style.access", "true");
                wrong.put("s3.credentials.provider", "static");
                wrong.put("s3.access.key.id", stack.accessKeyId());
                wrong.put("s3.secret.access.key", WRONG_S3_SECRET);
                String wrongName = unique("wrong-secret");
                connect.putConnector(wrongName, wrong);
                await().atMost(TIMEOUT).until(() -> {
                    var status = connect.status(wrongName);
                    return status != null && "FAILED".equals(status.path("connector").path("state").asText());
                });
                String wrongTrace = connect.status(wrongName).toString();
                connect.deleteConnector(wrongName);
                assertThat(wrongTrace).contains("SignatureDoesNotMatch")
                        .as("a wrong secret is not a missing permission").doesNotContain("Grant s3:");

                List<String> seen = new ArrayList<>();
                seen.add(wrongTrace);
                seen.add(connect.config(connectorName).toString());
                seen.add(connect.tasks(connectorName).toString());
                seen.add(connect.status(connectorName).toString());
                for (ConsumerRecord<byte[], byte[]> dead : kafka.consume(dlq, 1, TIMEOUT)) {
                    for (Header header : dead.headers()) {
                        seen.add(new String(header.value(), StandardCharsets.UTF_8));
                    }
                }
                seen.addAll(logs.lines());
                assertThat(logs.lines()).as("DEBUG lines of the connector and the SDK were written")
                        .anyMatch(line -> line.startsWith("io.streamoffload") && line.contains("Stored s3://"))
                        .anyMatch(line -> line.startsWith("software.amazon.awssdk.request"))
                        .anyMatch(line -> line.contains("Could not get AWS credentials") || line.contains("InternalFailure"));
                assertThat(sts.calls()).hasSizeGreaterThanOrEqualTo(2);
                // what moto's STS issued: the role's secret key and session token are secrets too
                assertThat(sts.issued()).isNotEmpty();
                sts.issued().forEach(issued -> secretValues.addAll(List.of(issued.secretAccessKey(), issued.sessionToken())));
                for (String secret : secretValues) {
                    assertThat(seen).as("places showing " + secret).noneMatch(text -> text.contains(secret));
                }
                assertThat(connect.config(connectorName).toString()).contains("${file:");

                // the signer at DEBUG prints the session token: the connector says so when its clients start
                connect.setLogLevel(SIGNER_LOGGER, "DEBUG");
                connect.restartTask(connectorName, 0);
                await().atMost(TIMEOUT).until(() -> !logs.containing("the AWS SDK logs every canonical request").isEmpty());
                assertThat(logs.containing("the AWS SDK logs every canonical request"))
                        .allMatch(line -> line.contains(SIGNER_LOGGER) && !line.contains(BASE_TOKEN));
            } finally {
                connect.setLogLevel("io.streamoffload", "INFO");
                connect.setLogLevel("software.amazon.awssdk", "WARN");
                connect.setLogLevel(SIGNER_LOGGER, "WARN");
            }
        }
    }
}
