package io.streamoffload.connect.dynamodb.config.definitions;

import io.streamoffload.connect.dynamodb.config.Validators;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The Connection group: where each client connects (region and endpoint of the shared block and of the DynamoDB and
 * S3 overrides), how long a call attempt may take, S3 path-style access, and the STS endpoint.
 */
public final class ConnectionDefinitions {
    public static final String GROUP_CONNECTION = "Connection";

    /** Prefixes of the three connection settings blocks: shared, then per-service overrides. */
    public static final String AWS_PREFIX = "aws.";
    public static final String DYNAMODB_PREFIX = "dynamodb.";
    public static final String S3_PREFIX = "s3.";

    // Suffixes shared by the aws.*, dynamodb.* and s3.* blocks
    public static final String REGION = "region";
    public static final String ENDPOINT_URL = "endpoint.url";
    public static final String AWS_STS_ENDPOINT_URL = "aws.sts.endpoint.url";
    private static final String AWS_STS_ENDPOINT_URL_DOC = "An endpoint URL override for STS, used to assume the roles "
            + "in the *.assume.role.arn settings (an STS VPC endpoint). Empty uses the regional STS endpoint.";

    public static final String AWS_API_CALL_ATTEMPT_TIMEOUT_MS = "aws.api.call.attempt.timeout.ms";
    private static final String AWS_API_CALL_ATTEMPT_TIMEOUT_MS_DOC =
            "How long one HTTP attempt to DynamoDB or S3 may take before it is abandoned and counted as a retryable failure.";
    public static final String S3_PATH_STYLE_ACCESS = "s3.path.style.access";
    private static final String S3_PATH_STYLE_ACCESS_DOC =
            "Address S3 buckets as http://endpoint/bucket instead of http://bucket.endpoint; needed by most S3-compatible servers.";

    private ConnectionDefinitions() {
    }

    /** Adds the group's settings to the connector's ConfigDef. */
    public static void define(ConfigDef def) {
        for (ServiceBlock block : ServiceBlock.ALL) {
            defineService(def, block);
        }
        int order = 100;
        def.define(AWS_API_CALL_ATTEMPT_TIMEOUT_MS, Type.LONG, 30_000L, ConfigDef.Range.between(100, 600_000),
                Importance.LOW, AWS_API_CALL_ATTEMPT_TIMEOUT_MS_DOC, GROUP_CONNECTION, order++, Width.SHORT,
                "API call attempt timeout (ms)");
        def.define(S3_PATH_STYLE_ACCESS, Type.BOOLEAN, false, Importance.LOW, S3_PATH_STYLE_ACCESS_DOC,
                GROUP_CONNECTION, order++, Width.SHORT, "S3 path-style access");
        def.define(AWS_STS_ENDPOINT_URL, Type.STRING, "", Validators.endpointUrl(), Importance.LOW,
                AWS_STS_ENDPOINT_URL_DOC, GROUP_CONNECTION, order, Width.LONG, "STS endpoint URL");
    }

    /** The region and endpoint of one service block: the shared one, or a service's overrides of it. */
    static void defineService(ConfigDef def, ServiceBlock block) {
        int order = block.firstOrder();
        def.define(block.prefix() + REGION, Type.STRING, "", Validators.region(), Importance.HIGH,
                "The AWS region of " + block.subject() + ", e.g. us-east-1." + block.inherits(REGION)
                        + (block.shared() ? " Empty uses the SDK's default region chain (AWS_REGION, profile, instance metadata)." : ""),
                GROUP_CONNECTION, order++, Width.SHORT, block.label() + " region");
        def.define(block.prefix() + ENDPOINT_URL, Type.STRING, "", Validators.endpointUrl(), Importance.LOW,
                "An endpoint URL override for " + block.subject() + " (a VPC endpoint, a DynamoDB-compatible server, an S3-compatible server)."
                        + block.inherits(ENDPOINT_URL),
                GROUP_CONNECTION, order, Width.LONG, block.label() + " endpoint URL");
    }
}
