package io.streamoffload.connect.dynamodb.config.definitions;

import io.streamoffload.connect.dynamodb.config.Validators;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The Security group: the credentials and role of the shared block and of the DynamoDB and S3 overrides, and the
 * server-side encryption and expected owner of the offload bucket.
 */
public final class SecurityDefinitions {
    public static final String GROUP_SECURITY = "Security";
    public static final String CREDENTIALS_PROVIDER = "credentials.provider";
    public static final String ACCESS_KEY_ID = "access.key.id";
    public static final String SECRET_ACCESS_KEY = "secret.access.key";
    public static final String SESSION_TOKEN = "session.token";
    public static final String PROFILE_NAME = "profile.name";
    public static final String ASSUME_ROLE_ARN = "assume.role.arn";
    public static final String ASSUME_ROLE_EXTERNAL_ID = "assume.role.external.id";
    public static final String ASSUME_ROLE_SESSION_NAME = "assume.role.session.name";
    public static final String ASSUME_ROLE_DURATION_SECONDS = "assume.role.duration.seconds";
    public static final String DEFAULT_SESSION_NAME = "kafka-connect-dynamodb-sink";
    public static final String S3_SSE = "s3.sse";
    private static final String S3_SSE_DOC = "Server-side encryption of offloaded objects: none (the bucket's default), "
            + "AES256 (SSE-S3) or aws:kms (SSE-KMS).";
    public static final String S3_SSE_KMS_KEY_ID = "s3.sse.kms.key.id";
    private static final String S3_SSE_KMS_KEY_ID_DOC = "The KMS key id or ARN for s3.sse=aws:kms; empty uses the "
            + "AWS-managed key.";
    public static final String S3_EXPECTED_BUCKET_OWNER = "s3.expected.bucket.owner";
    private static final String S3_EXPECTED_BUCKET_OWNER_DOC = "The AWS account id that must own the offload bucket; "
            + "requests fail if another account owns it.";

    private SecurityDefinitions() {
    }

    /** Adds the group's settings to the connector's ConfigDef. */
    public static void define(ConfigDef def) {
        for (ServiceBlock block : ServiceBlock.ALL) {
            defineCredentials(def, block);
        }
        int order = 60;
        def.define(S3_SSE, Type.STRING, "none", Validators.oneOf("none", "AES256", "aws:kms"), Importance.MEDIUM,
                S3_SSE_DOC, GROUP_SECURITY, order++, Width.SHORT, "S3 server-side encryption");
        def.define(S3_SSE_KMS_KEY_ID, Type.STRING, "", Importance.LOW, S3_SSE_KMS_KEY_ID_DOC, GROUP_SECURITY, order++,
                Width.MEDIUM, "S3 KMS key id");
        def.define(S3_EXPECTED_BUCKET_OWNER, Type.STRING, "", Importance.LOW, S3_EXPECTED_BUCKET_OWNER_DOC,
                GROUP_SECURITY, order, Width.SHORT, "S3 expected bucket owner");
    }

    /** The credentials and role of one service block: the shared one, or a service's overrides of it. */
    static void defineCredentials(ConfigDef def, ServiceBlock block) {
        String prefix = block.prefix();
        String subject = block.subject();
        String label = block.label();
        boolean shared = block.shared();
        int order = block.firstOrder();
        String[] modes = shared
                ? new String[] {"default", "static", "profile"}
                : new String[] {"", "default", "static", "profile"};
        def.define(prefix + CREDENTIALS_PROVIDER, Type.STRING, shared ? "default" : "", Validators.oneOf(modes),
                Importance.HIGH, "Where " + subject + " gets credentials: 'default' (the SDK's default provider chain), "
                        + "'static' (the access key settings below), 'profile' (a named profile)."
                        + block.inherits(CREDENTIALS_PROVIDER),
                GROUP_SECURITY, order++, Width.SHORT, label + " credentials provider");
        def.define(prefix + ACCESS_KEY_ID, Type.PASSWORD, null, Importance.HIGH,
                "The access key id for " + subject + " when the credentials provider is 'static'.",
                GROUP_SECURITY, order++, Width.MEDIUM, label + " access key id");
        def.define(prefix + SECRET_ACCESS_KEY, Type.PASSWORD, null, Importance.HIGH,
                "The secret access key for " + subject + " when the credentials provider is 'static'.",
                GROUP_SECURITY, order++, Width.MEDIUM, label + " secret access key");
        def.define(prefix + SESSION_TOKEN, Type.PASSWORD, null, Importance.LOW,
                "An optional session token for temporary 'static' credentials of " + subject + ".",
                GROUP_SECURITY, order++, Width.MEDIUM, label + " session token");
        def.define(prefix + PROFILE_NAME, Type.STRING, "", Importance.LOW,
                "The profile name for " + subject + " when the credentials provider is 'profile'.",
                GROUP_SECURITY, order++, Width.SHORT, label + " profile name");
        def.define(prefix + ASSUME_ROLE_ARN, Type.STRING, "", Validators.roleArn(), Importance.MEDIUM,
                "An IAM role for " + subject + " to assume through STS, signing with temporary credentials that are "
                        + "refreshed before they expire; the credentials above are used to call STS. Empty: no role."
                        + block.inherits(ASSUME_ROLE_ARN),
                GROUP_SECURITY, order++, Width.LONG, label + " role ARN");
        def.define(prefix + ASSUME_ROLE_EXTERNAL_ID, Type.PASSWORD, null, Importance.LOW,
                "The external id the role's trust policy requires, if any." + block.inherits(ASSUME_ROLE_EXTERNAL_ID),
                GROUP_SECURITY, order++, Width.MEDIUM, label + " role external id");
        def.define(prefix + ASSUME_ROLE_SESSION_NAME, Type.STRING, shared ? DEFAULT_SESSION_NAME : "",
                Validators.roleSessionName(shared), Importance.LOW,
                "The role session name, as CloudTrail shows it." + block.inherits(ASSUME_ROLE_SESSION_NAME),
                GROUP_SECURITY, order++, Width.SHORT, label + " role session name");
        def.define(prefix + ASSUME_ROLE_DURATION_SECONDS, Type.INT, shared ? 3600 : 0,
                Validators.roleDuration(shared), Importance.LOW,
                "How long each set of temporary credentials lasts, in seconds (900 to 43200, within the role's maximum)."
                        + (shared ? "" : " 0 inherits " + block.inheritsFrom() + ASSUME_ROLE_DURATION_SECONDS + "."),
                GROUP_SECURITY, order, Width.SHORT, label + " role session duration");
    }
}
