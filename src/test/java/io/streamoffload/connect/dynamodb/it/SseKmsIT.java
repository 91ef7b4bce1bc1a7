package io.streamoffload.connect.dynamodb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamoffload.connect.dynamodb.it.fault.IamPolicy;
import io.streamoffload.connect.dynamodb.it.stack.FaultProxy;
import io.streamoffload.connect.dynamodb.it.stack.FaultProxy.AwsError;
import io.streamoffload.connect.dynamodb.it.stack.FaultProxy.Fault;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStack;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.offload.Pointer;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Offloaded fields with SSE-KMS, on moto's S3 and KMS (s3proxy has no KMS), with the items in dynalite: under a key
 * created in moto's KMS, every object is stored with that key, as HeadObject shows, and reads back verified. moto's S3
 * stores whatever key id it is given without asking its KMS, so a {@link FaultProxy} in front of it checks each id
 * against the keys and aliases moto's KMS holds and answers as S3 does (400 {@code KMS.NotFoundException}) for one it
 * does not: the task stops with an error that names {@code s3.sse.kms.key.id}, and no item points to an object that
 * was not stored.
 */
@ExtendWith(InJvmStackExtension.class)
class SseKmsIT extends ConnectorTestBase {
    private static final String KMS_KEY_HEADER = "x-amz-server-side-encryption-aws-kms-key-id";
    private final InJvmStack stack;

    SseKmsIT(InJvmStack stack) {
        this.stack = stack;
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }

    @Test
    void objectsAreStoredWithTheConfiguredKmsKeyAndAKeyKmsDoesNotHoldIsNamed() throws Exception {
        var moto = stack.moto();
        String bucket = unique("sse-kms").toLowerCase();
        try (KmsClient kms = KmsClient.builder().endpointOverride(moto.endpoint()).region(Region.of(stack.region()))
                     .credentialsProvider(StaticCredentialsProvider.create(
                             AwsBasicCredentials.create(stack.accessKeyId(), stack.secretAccessKey())))
                     .build();
             S3Client s3 = stack.newS3Client(moto.endpoint());
             OffloadedItemReader reader = new OffloadedItemReader(s3);
             FaultProxy s3Proxy = new FaultProxy(moto.endpoint(), FaultProxy.Service.S3)) {
            KeyMetadata key = kms.createKey(r -> r.description("offloaded fields")).keyMetadata();
            String alias = "alias/" + bucket;
            kms.createAlias(r -> r.aliasName(alias).targetKeyId(key.keyId()));
            Set<String> held = new HashSet<>();
            kms.listAliases().aliases().forEach(a -> held.addAll(List.of(a.aliasName(), a.aliasArn())));
            kms.listKeys().keys().forEach(k -> held.addAll(List.of(k.keyId(), k.keyArn())));
            s3Proxy.script(r -> r.operation().equals("PutObject") && r.header(KMS_KEY_HEADER) != null
                    && !held.contains(r.header(KMS_KEY_HEADER))
                    ? Fault.error(new AwsError(400, "KMS.NotFoundException", "Invalid keyId " + r.header(KMS_KEY_HEADER)))
                    : Fault.FORWARD);
            s3.createBucket(b -> b.bucket(bucket));

            String topic = unique("sse-kms");
            kafka.createTopic(topic, 1);
            startConnector(unique("sse-kms"), kmsConfig(topic, bucket, s3Proxy, key.arn()));
            for (int i = 0; i < 6; i++) {
                kafka.produce(topic, "page-" + i, "{\"body\":\"confidential body " + (i % 3) + "\",\"n\":" + i + "}");
            }
            for (int i = 0; i < 6; i++) {
                Map<String, AttributeValue> item = awaitItem(topic, pk("page-" + i));
                Pointer pointer = Pointer.fromAttribute(item.get("body")).orElseThrow();
                HeadObjectResponse head = s3.headObject(h -> h.bucket(bucket).key(pointer.key()));
                assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
                assertThat(head.ssekmsKeyId()).isEqualTo(key.arn());
                assertThat(reader.hydrate(item).text("body")).isEqualTo("confidential body " + (i % 3));
            }
            assertThat(s3.listObjectsV2(l -> l.bucket(bucket)).keyCount()).as("one object per distinct body").isEqualTo(3);
            connect.deleteConnector(connectorName);

            String wrongTopic = unique("sse-kms-wrong");
            kafka.createTopic(wrongTopic, 1);
            String wrongKey = "alias/no-such-key-" + bucket;
            connectorName = unique("sse-kms-wrong");
            connect.putConnector(connectorName, kmsConfig(wrongTopic, bucket, s3Proxy, wrongKey));
            kafka.produce(wrongTopic, "page-x", "{\"body\":\"never stored\"}");
            String trace = awaitTaskFailed();
            assertThat(trace).contains("KMS.NotFoundException").contains("s3.sse.kms.key.id=" + wrongKey);
            assertThat(s3Proxy.count("PutObject", "KMS.NotFoundException")).isPositive();
            await().atMost(TIMEOUT).until(() -> tableExists(wrongTopic));
            assertThat(dynamo.scan(r -> r.tableName(wrongTopic)).items()).as("no item without its object").isEmpty();

            Set<String> allowed = IamPolicy.actions(IamPolicy.WITH_OFFLOAD_KMS);
            assertThat(allowed).as("S3 asks KMS for a data key with the caller's permission").contains("kms:GenerateDataKey");
            s3Proxy.operations().forEach(op -> assertThat(allowed).as("the IAM policy in config/ allows what the "
                    + "connector calls").contains(IamPolicy.actionFor("s3", op)));
        }
    }

    private Map<String, String> kmsConfig(String topic, String bucket, FaultProxy s3Proxy, String keyId) {
        Map<String, String> config = baseConfig(topic);
        config.put("s3.endpoint.url", s3Proxy.uri().toString());
        config.put("s3.path.style.access", "true");
        config.put("offload.s3.bucket", bucket);
        config.put("offload.fields", "body");
        config.put("s3.sse", "aws:kms");
        config.put("s3.sse.kms.key.id", keyId);
        return config;
    }

    private boolean tableExists(String table) {
        try {
            dynamo.describeTable(r -> r.tableName(table));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }
}
