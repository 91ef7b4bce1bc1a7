package io.streamoffload.connect.dynamodb.aws;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 refuses a call with "Access Denied" and does not say which action was missing, and the refusal of a HEAD has no
 * body at all. This puts into the refusal's message the action and resource the call needed, in the words IAM's own
 * refusals use, so that {@link ErrorClassifier#describe} names the statements of the shipped policies that grant it,
 * for every caller of the client: the connector's object store and the lifecycle tool alike. Only AccessDenied (or a
 * HEAD's bodiless 403) is named: a refusal that names its action already (KMS's, through S3), a 403 that is clock skew,
 * and the other 403s (a wrong key or secret, an archived object) are left as they are.
 */
final class S3RefusalNaming implements ExecutionInterceptor {
    /** IAM's action for each S3 operation the connector and the tool call. */
    private static final Map<String, String> ACTIONS = Map.of("PutObject", "s3:PutObject", "GetObject",
            "s3:GetObject", "HeadObject", "s3:GetObject", "DeleteObject", "s3:DeleteObject", "DeleteObjects",
            "s3:DeleteObject", "ListObjectsV2", "s3:ListBucket");

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable failure = context.exception();
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        String action = operation == null ? null : ACTIONS.get(operation);
        if (!(failure instanceof S3Exception refused) || refused.statusCode() != 403 || action == null
                || ErrorClassifier.classify(refused) == ErrorClassifier.Disposition.RETRY) {
            return failure;
        }
        AwsErrorDetails details = refused.awsErrorDetails();
        String code = details == null || details.errorCode() == null ? "" : details.errorCode();
        if (!code.isEmpty() && !ErrorClassifier.isAccessDenied(code)) {
            // InvalidAccessKeyId, SignatureDoesNotMatch, AllAccessDisabled, InvalidObjectState: not a policy's doing
            return failure;
        }
        String said = details == null || details.errorMessage() == null ? "" : details.errorMessage();
        if (said.contains("perform: ")) {
            return failure;
        }
        String message = (said.isEmpty() ? "Access Denied" : said) + needs(action, context.request());
        AwsErrorDetails named = (details == null ? AwsErrorDetails.builder() : details.toBuilder())
                .errorMessage(message).build();
        Throwable rebuilt = refused.toBuilder().awsErrorDetails(named).message(message).build();
        for (Throwable earlier : refused.getSuppressed()) {
            rebuilt.addSuppressed(earlier);
        }
        return rebuilt;
    }

    /** "; the call needs to perform: s3:GetObject on resource: arn:aws:s3:::bucket/key" and, for a read, ListBucket. */
    private static String needs(String action, SdkRequest request) {
        String bucket = request.getValueForField("Bucket", String.class).orElse("*");
        String bucketArn = "arn:aws:s3:::" + bucket;
        String resource = switch (action) {
            case "s3:ListBucket" -> bucketArn;
            default -> bucketArn + "/" + request.getValueForField("Key", String.class).orElse("*");
        };
        String needs = "; the call needs to perform: " + action + " on resource: " + resource;
        // S3 answers 403, not 404, for a missing key when the caller may not list the bucket: a HEAD of a key that
        // usually does not exist (a garbage-collection mark) is refused for that reason as often as for the read
        return action.equals("s3:GetObject") ? needs + "; and for a key that does not exist, S3 answers 403 instead "
                + "of 404 unless the caller may perform: s3:ListBucket on resource: " + bucketArn : needs;
    }
}
