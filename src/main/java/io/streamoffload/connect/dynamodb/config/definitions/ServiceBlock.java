package io.streamoffload.connect.dynamodb.config.definitions;

import static io.streamoffload.connect.dynamodb.config.definitions.ConnectionDefinitions.AWS_PREFIX;
import static io.streamoffload.connect.dynamodb.config.definitions.ConnectionDefinitions.DYNAMODB_PREFIX;
import static io.streamoffload.connect.dynamodb.config.definitions.ConnectionDefinitions.S3_PREFIX;

import java.util.List;

/**
 * One block of connection settings: the shared {@code aws.*} one, or the {@code dynamodb.*} and {@code s3.*} overrides,
 * where an empty value inherits the shared one. Its region and endpoint are in the Connection group, its credentials
 * and role in the Security group, at the same places in each.
 */
record ServiceBlock(String prefix, String inheritsFrom, String subject, String label, int firstOrder) {
    static final List<ServiceBlock> ALL = List.of(
            new ServiceBlock(AWS_PREFIX, "", "the shared AWS settings used by both clients", "AWS", 0),
            new ServiceBlock(DYNAMODB_PREFIX, AWS_PREFIX, "the DynamoDB client", "DynamoDB", 20),
            new ServiceBlock(S3_PREFIX, AWS_PREFIX, "the S3 client", "S3", 40));

    boolean shared() {
        return inheritsFrom.isEmpty();
    }

    /** The sentence that says an empty value inherits the shared setting; none for the shared block itself. */
    String inherits(String setting) {
        return shared() ? "" : " Empty inherits " + inheritsFrom + setting + ".";
    }
}
