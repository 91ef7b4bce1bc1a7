package io.streamoffload.connect.dynamodb.it.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.offload.store.GcMarks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * {@code config/iam-policy-sink-offload.json} and {@code iam-policy-sink-offload-kms.json} under IAM enforcement:
 * objects stored, found again by a fresh task (a conditional PUT's 412, a HEAD), a garbage-collection mark cleared,
 * a bad record too large for the dead letter queue parked; uploads under a KMS key of moto's. For each S3 statement a
 * scenario that needs it, run without it, stops the task naming the action, the object and the statement.
 */
@ExtendWith(InJvmStackExtension.class)
class OffloadPolicyIT extends IamPolicyTestBase {
    private static final List<String> STATEMENTS = List.of("StoreOffloadedObjectsAndCheckDedupeHits",
            "ListTheBucketSoThatAMissingKeyAnswers404", "ParkDeadLettersTooLargeForTheDeadLetterQueue",
            "ClearGarbageCollectionMarksOnReuse");
    /** The KMS key's id: created as the test's own user once moto checks every call, so known only after the users. */
    private static String kmsKeyArn;

    OffloadPolicyIT(SinkTestStack stack) {
        super(stack);
    }

    @BeforeAll
    static void createUsers() {
        Map<String, String> policies = wholeAndWithoutEach("offload", OFFLOAD_POLICY, STATEMENTS);
        // the KMS policy names its key, which exists only once moto checks calls: until it is put, a grant of nothing
        String nothing = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                + "\"s3:GetBucketTagging\",\"Resource\":\"arn:aws:s3:::none\"}]}";
        policies.put("kms", nothing);
        policies.put("EncryptOffloadedObjectsWithSseKms", nothing);
        startMoto(policies, 0, iam -> { });
        try (KmsClient kms = KmsClient.builder().endpointOverride(iamMoto.endpoint()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(users.get("admin"))).build();
             var iam = iam(users.get("admin"))) {
            kmsKeyArn = kms.createKey(r -> r.description("offloaded fields")).keyMetadata().arn();
            String keyId = kmsKeyArn.substring(kmsKeyArn.lastIndexOf('/') + 1);
            // the same policy name as the grant of nothing: replaces it
            iam.putUserPolicy(r -> r.userName("kms").policyName("kms")
                    .policyDocument(policy(KMS_POLICY, null, Map.of("KMS_KEY_ID", keyId))));
            iam.putUserPolicy(r -> r.userName("EncryptOffloadedObjectsWithSseKms")
                    .policyName("EncryptOffloadedObjectsWithSseKms").policyDocument(policy(KMS_POLICY, "EncryptOffloadedObjectsWithSseKms", Map.of("KMS_KEY_ID", keyId))));
        }
    }

    @Test
    void theOffloadPolicyIsEnoughToStoreObjectsNameThemAgainAndClearGcMarks() {
        List<String> keys = objectKeys(offloadRun("offload"));
        connect.deleteConnector(connectorName);
        String mark = GcMarks.markKey(keys.get(1));
        try (S3Client s3 = adminS3()) {
            // a collector found the object unreferenced meanwhile, and marked it
            s3.putObject(b -> b.bucket(BUCKET).key(mark), RequestBody.empty());
            // a second connector's task, without the first one's cache, names the same objects again: a conditional
            // PUT finds each, the mark is cleared, a HEAD confirms the content
            String again = offloadRun("offload");
            assertThat(objectKeys(again)).isEqualTo(keys);
            await().atMost(TIMEOUT).until(() -> !exists(s3, mark));
            assertThat(taskState()).isEqualTo("RUNNING");
        }
    }

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"StoreOffloadedObjectsAndCheckDedupeHits", "ClearGarbageCollectionMarksOnReuse"})
    void withoutAnOffloadStatementTheConnectorOrTaskStopsNamingTheActionAndTheStatement(String statement) {
        String expected;
        String trace;
        if (statement.equals("StoreOffloadedObjectsAndCheckDedupeHits")) {
            // the connector reads a key that does not exist under the prefix at its start: refused, it stops there
            connect.putConnector(connectorName = unique("iam-no-store"), offloadConfigAs(statement, topicWithTable()));
            trace = awaitConnectorFailed();
            expected = "Grant s3:GetObject on arn:aws:s3:::" + BUCKET + "/" + KEY_PREFIX + "_dynamodb-offload-start-check";
        } else {
            // the objects exist already: naming them again looks for a garbage-collection mark
            objectKeys(offloadRun("offload"));
            connect.deleteConnector(connectorName);
            offloadRun(statement);
            trace = awaitTaskFailed();
            expected = "Grant s3:GetObject on arn:aws:s3:::" + BUCKET + "/" + GcMarks.PREFIX;
        }
        assertThat(grantLine("without " + statement, trace)).contains(expected)
                .contains("statement '" + statement + "' of config/iam-policy-sink-offload.json");
    }

    /**
     * Without s3:ListBucket, S3 answers the HEAD of a missing key with 403 instead of 404, and a dedupe hit's look
     * for a garbage-collection mark (usually missing) would stop the task. moto answers 404 all the same, so this
     * statement's need rests on AWS's documentation: the scenario runs, and says what moto did.
     */
    @Test
    void withoutListBucketMotoStillAnswersAMissingKeyWith404() {
        objectKeys(offloadRun("offload"));
        connect.deleteConnector(connectorName);
        String topic = offloadRun("ListTheBucketSoThatAMissingKeyAnswers404");
        assertThat(objectKeys(topic)).hasSize(3);
        assertThat(taskState()).isEqualTo("RUNNING");
    }

    @Test
    void theOffloadPolicyIsEnoughToParkABadRecordTooLargeForTheDeadLetterQueue() {
        String topic = parkingRun("offload");
        List<ConsumerRecord<byte[], byte[]>> letters = kafka.consume(topic + "-dlq", 1, TIMEOUT);
        assertThat(letters).hasSize(1);
        Header uri = letters.get(0).headers().lastHeader("dynamodb-offload.parked.value.uri");
        assertThat(uri).as("the dead letter names the parked value").isNotNull();
        String key = new String(uri.value(), StandardCharsets.UTF_8).substring(("s3://" + BUCKET + "/").length());
        assertThat(key).startsWith(PARKED);
        try (S3Client s3 = adminS3()) {
            assertThat(exists(s3, key)).isTrue();
        }
        assertThat(awaitItem(table(topic), pk("k1"))).containsKey("body");
        assertThat(taskState()).isEqualTo("RUNNING");
    }

    @Test
    void withoutTheParkingStatementTheTaskStopsNamingItAndNothingIsDropped() throws Exception {
        String topic = parkingRun("ParkDeadLettersTooLargeForTheDeadLetterQueue");
        assertThat(grantLine("without parking", awaitTaskFailed()))
                .contains("Grant s3:PutObject on arn:aws:s3:::" + BUCKET + "/" + PARKED)
                .contains("statement 'ParkDeadLettersTooLargeForTheDeadLetterQueue' of config/iam-policy-sink-offload.json");
        assertThat(kafka.consume(topic + "-dlq", 1, Duration.ofSeconds(2))).as("no dead letter without its record")
                .isEmpty();
        assertThat(committedOffset(connectorName, topic)).as("no offset committed past the bad record (offset 1)")
                .isLessThanOrEqualTo(1);
    }

    @Test
    void theKmsPolicyIsEnoughToStoreObjectsUnderAKmsKeyEvenOnesStoredBeforeUnencrypted() {
        // the same bodies stored first unencrypted, as before s3.sse was set: named again, they are stored again
        objectKeys(offloadRun("offload", Map.of(), "encrypted body "));
        connect.deleteConnector(connectorName);
        String topic = offloadRun("kms", Map.of("s3.sse", "aws:kms", "s3.sse.kms.key.id", kmsKeyArn), "encrypted body ");
        assertStoredUnderTheKey(topic);
        assertThat(taskState()).isEqualTo("RUNNING");
    }

    private void assertStoredUnderTheKey(String topic) {
        try (S3Client s3 = adminS3()) {
            for (String key : objectKeys(topic)) {
                HeadObjectResponse head = s3.headObject(h -> h.bucket(BUCKET).key(key));
                assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
                assertThat(head.ssekmsKeyId()).isEqualTo(kmsKeyArn);
            }
        }
    }

    /**
     * S3 asks KMS for a data key with the caller's permission (kms:GenerateDataKey, via S3): moto's S3 does not, so
     * without that statement the objects are stored all the same, and its need rests on AWS's documentation.
     */
    @Test
    void withoutTheKmsStatementMotoStillStoresUnderTheKey() {
        String topic = offloadRun("EncryptOffloadedObjectsWithSseKms",
                Map.of("s3.sse", "aws:kms", "s3.sse.kms.key.id", kmsKeyArn), "another encrypted body ");
        assertStoredUnderTheKey(topic);
        assertThat(taskState()).isEqualTo("RUNNING");
    }
}
