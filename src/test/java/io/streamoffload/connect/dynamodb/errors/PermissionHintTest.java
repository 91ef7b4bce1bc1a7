package io.streamoffload.connect.dynamodb.errors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PermissionHintTest {
    @Test
    void onlyTheStatementsWhoseResourceCoversTheKeyAreNamed() {
        assertThat(PermissionHint.forAction("s3:PutObject", "arn:aws:s3:::bkt/offload/ab/abcd.txt.zst"))
                .isEqualTo("Grant s3:PutObject on arn:aws:s3:::bkt/offload/ab/abcd.txt.zst: statement "
                        + "'StoreOffloadedObjectsAndCheckDedupeHits' of config/iam-policy-sink-offload.json, "
                        + "config/iam-policy-sink-offload-kms.json grants it");
        assertThat(PermissionHint.forAction("s3:PutObject", "arn:aws:s3:::bkt/_dynamodb-offload/dead-letters/x.json"))
                .contains("'ParkDeadLettersTooLargeForTheDeadLetterQueue'")
                .as("the key prefix, a placeholder, may be anything").contains("'StoreOffloadedObjectsAndCheckDedupeHits'");
    }

    @Test
    void anActionNoPolicyGrantsSaysSo() {
        assertThat(PermissionHint.forAction("dynamodb:DeleteTable", null))
                .isEqualTo("Grant dynamodb:DeleteTable: no policy in config/ grants it");
        assertThat(PermissionHint.of("Access Denied")).as("a message that names no action").isEmpty();
    }
}
