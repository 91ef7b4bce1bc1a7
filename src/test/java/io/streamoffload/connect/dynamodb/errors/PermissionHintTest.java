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
                .as("the key prefix is never the connector's own _dynamodb-offload/")
                .doesNotContain("'StoreOffloadedObjectsAndCheckDedupeHits'");
    }

    @Test
    void anActionNoPolicyGrantsSaysSo() {
        assertThat(PermissionHint.forAction("dynamodb:DeleteTable", null))
                .isEqualTo("Grant dynamodb:DeleteTable: no policy in config/ grants it");
        assertThat(PermissionHint.of("Access Denied")).as("a message that names no action").isEmpty();
    }

    @Test
    void everyActionAMessageNamesGetsItsHint() {
        String hint = PermissionHint.of("Access Denied; the call needs to perform: s3:GetObject on resource: "
                + "arn:aws:s3:::bkt/_dynamodb-offload/gc-marks/offload/ab/abcd.txt.zst; and for a key that does not "
                + "exist, S3 answers 403 instead of 404 unless the caller may perform: s3:ListBucket on resource: "
                + "arn:aws:s3:::bkt").orElseThrow();
        assertThat(hint).startsWith("Grant s3:GetObject on arn:aws:s3:::bkt/_dynamodb-offload/gc-marks/offload/ab/abcd.txt.zst: ")
                .contains("'ClearGarbageCollectionMarksOnReuse'").contains("'ReadGcMarksInEveryGcRun'")
                .doesNotContain("'StoreOffloadedObjectsAndCheckDedupeHits'")
                .contains(". Grant s3:ListBucket on arn:aws:s3:::bkt: statement 'ListTheBucketSoThatAMissingKeyAnswers404'");
    }

    @Test
    void aQuotedResourceIsReadWithoutItsQuotes() {
        assertThat(PermissionHint.of("User: arn:aws:iam::1:user/u is not authorized to perform: s3:DeleteObject on "
                + "resource: \"arn:aws:s3:::bkt/offload/ab/x.bin\" because no identity-based policy allows the "
                + "s3:DeleteObject action")).hasValue("Grant s3:DeleteObject on arn:aws:s3:::bkt/offload/ab/x.bin: "
                + "statement 'DeleteUnnamedObjectsOnlyWithGcDelete' of config/iam-policy-offload-tool.json grants it");
    }

    @Test
    void anExplicitDenyIsNotAMissingGrant() {
        assertThat(PermissionHint.of("User: arn:aws:iam::1:user/u is not authorized to perform: dynamodb:PutItem on "
                + "resource: arn:aws:dynamodb:us-east-1:1:table/t with an explicit deny in a service control policy"))
                .hasValueSatisfying(hint -> assertThat(hint).startsWith("An explicit deny refuses it")
                        .contains("(for reference: Grant dynamodb:PutItem on arn:aws:dynamodb:us-east-1:1:table/t: "));
    }

    @Test
    void assumingARoleNamesTheTrustPolicy() {
        assertThat(PermissionHint.of("User: arn:aws:iam::1:user/worker is not authorized to perform: sts:AssumeRole"))
                .hasValueSatisfying(hint -> assertThat(hint).startsWith("Grant sts:AssumeRole: statement "
                        + "'LetTheConnectWorkersIdentityAssumeThisRole' of config/iam-trust-policy-assume-role.json grants it")
                        .contains("external.id"));
    }
}
