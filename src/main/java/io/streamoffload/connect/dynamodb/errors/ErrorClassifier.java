package io.streamoffload.connect.dynamodb.errors;

import java.io.IOException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The one place that decides what an AWS failure means: try again, give up on the connector, or give up on the
 * request (something in it DynamoDB refuses, so the records inside must be isolated and reported).
 */
public final class ErrorClassifier {

    /** What to do about a failure. */
    public enum Disposition {
        /** Transient: throttling, a 5xx, a timeout or an I/O error. Retry with backoff. */
        RETRY,
        /** The request itself is refused (validation); retrying it as is cannot succeed. */
        BAD_REQUEST,
        /** Configuration or environment is wrong (missing table, denied access, bad credentials). Stop. */
        FATAL
    }

    private static final Set<String> THROTTLING_CODES = Set.of(
            "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
            "Throttling", "ThrottledException", "TooManyRequestsException", "SlowDown",
            "RequestThrottled", "RequestThrottledException", "TransactionInProgressException");
    /** S3 errors that a later attempt can get past. */
    private static final Set<String> TRANSIENT_CODES = Set.of(
            "RequestTimeout", "BadDigest", "XAmzContentSHA256Mismatch", "OperationAborted", "ConditionalRequestConflict",
            "InternalError", "ServiceUnavailable");
    private static final Set<String> BAD_REQUEST_CODES = Set.of(
            "ValidationException", "ItemCollectionSizeLimitExceededException", "SerializationException");

    private ErrorClassifier() {
    }

    public static Disposition classify(Throwable failure) {
        if (failure instanceof AwsServiceException service) {
            String code = errorCode(service);
            if (THROTTLING_CODES.contains(code) || TRANSIENT_CODES.contains(code) || service.isThrottlingException()
                    || service.statusCode() >= 500) {
                return Disposition.RETRY;
            }
            if (BAD_REQUEST_CODES.contains(code)) {
                return Disposition.BAD_REQUEST;
            }
            return Disposition.FATAL;
        }
        if (failure instanceof ApiCallAttemptTimeoutException || failure instanceof ApiCallTimeoutException) {
            return Disposition.RETRY;
        }
        if (failure instanceof SdkClientException && hasCause(failure, IOException.class)) {
            return Disposition.RETRY;
        }
        return Disposition.FATAL;
    }

    /** Whether a failure is throttling, as opposed to another transient error. */
    public static boolean isThrottling(Throwable failure) {
        return failure instanceof AwsServiceException service
                && (THROTTLING_CODES.contains(errorCode(service)) || service.isThrottlingException());
    }

    /** A one-line description for logs and error messages: the error code, HTTP status and AWS's message. */
    public static String describe(Throwable failure) {
        if (failure instanceof AwsServiceException service) {
            String message = service.awsErrorDetails() != null && service.awsErrorDetails().errorMessage() != null
                    ? service.awsErrorDetails().errorMessage() : service.getMessage();
            return errorCode(service) + " (HTTP " + service.statusCode() + "): " + message;
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return root == failure ? text : text + " (caused by " + root.getClass().getSimpleName() + ": "
                + root.getMessage() + ")";
    }

    private static String errorCode(AwsServiceException service) {
        return service.awsErrorDetails() != null && service.awsErrorDetails().errorCode() != null
                ? service.awsErrorDetails().errorCode() : "";
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
