package io.streamoffload.connect.dynamodb.errors;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.Crc32MismatchException;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The one place that decides what an AWS failure means: try again, give up on the connector, or give up on the
 * request (something in it DynamoDB refuses, so the records inside must be isolated and reported).
 */
public final class ErrorClassifier {

    /** What to do about a failure. */
    public enum Disposition {
        /** Transient: throttling, a 500/502/503/504, clock skew, a timeout or an I/O error. Retry with backoff. */
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
    /**
     * Errors a later attempt can get past: S3's transient ones; a write racing one in another Region of a multi-Region
     * table; too many tables being created at once; and a full item collection (an LSI's 10 GB per partition key),
     * which is a condition of the table that deleting items or waiting for TTL clears, not a fault of the record; a
     * write racing a transaction on the same item.
     */
    private static final Set<String> TRANSIENT_CODES = Set.of(
            "RequestTimeout", "BadDigest", "XAmzContentSHA256Mismatch", "OperationAborted", "ConditionalRequestConflict",
            "InternalError", "InternalFailure", "ServiceUnavailable", "ReplicatedWriteConflictException",
            "LimitExceededException", "ItemCollectionSizeLimitExceededException", "IDPCommunicationError",
            "TransactionConflictException");
    /** Access denied by IAM, as DynamoDB, S3, KMS and STS say it. */
    private static final Set<String> ACCESS_DENIED_CODES = Set.of("AccessDeniedException", "AccessDenied");
    private static final Pattern XML_MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");
    private static final Pattern XML_CODE = Pattern.compile("<Code>([^<]*)</Code>");
    /** A transaction's cancellation reasons that mean throttling. */
    private static final Set<String> THROTTLING_REASONS = Set.of("ProvisionedThroughputExceeded", "ThrottlingError");
    private static final Set<String> BAD_REQUEST_CODES = Set.of("ValidationException", "SerializationException");
    /** Server errors a later attempt can get past, as the SDK's own retries count them (501 Not Implemented is not). */
    private static final Set<Integer> RETRYABLE_STATUS_CODES = Set.of(500, 502, 503, 504);
    /** Errors that only a clock far from the server's causes. */
    private static final Set<String> CLOCK_SKEW_CODES = Set.of("RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture");
    /** Errors a skewed clock causes, as do wrong credentials: skew when the answer's Date is minutes from our clock. */
    private static final Set<String> SIGNATURE_CODES = Set.of("InvalidSignatureException", "SignatureDoesNotMatch",
            "AuthFailure");
    /** The SDK's own threshold for correcting its clock offset from an answer's Date header. */
    private static final Duration SKEW_THRESHOLD = Duration.ofMinutes(4);

    private ErrorClassifier() {
    }

    public static Disposition classify(Throwable failure) {
        CredentialsUnavailableException credentials = cause(failure, CredentialsUnavailableException.class);
        if (credentials != null) {
            // instance metadata or STS failing to answer is transient; STS refusing the role, or no credentials
            // configured anywhere, is not
            Throwable source = credentials.getCause();
            if (source instanceof AwsServiceException sts) {
                return classify(sts);
            }
            return source != null && (hasCause(source, IOException.class) || hasCause(source, ApiCallAttemptTimeoutException.class)
                    || hasCause(source, ApiCallTimeoutException.class)) ? Disposition.RETRY : Disposition.FATAL;
        }
        if (failure instanceof AwsServiceException service) {
            String code = errorCode(service);
            if (THROTTLING_CODES.contains(code) || TRANSIENT_CODES.contains(code) || service.isThrottlingException()
                    || isClockSkew(service, code) || RETRYABLE_STATUS_CODES.contains(service.statusCode())) {
                return Disposition.RETRY;
            }
            if (BAD_REQUEST_CODES.contains(code)) {
                return Disposition.BAD_REQUEST;
            }
            return Disposition.FATAL;
        }
        if (failure instanceof ApiCallAttemptTimeoutException || failure instanceof ApiCallTimeoutException
                || failure instanceof RetryableException || failure instanceof Crc32MismatchException) {
            return Disposition.RETRY;
        }
        if (failure instanceof SdkClientException && hasCause(failure, IOException.class)) {
            return Disposition.RETRY;
        }
        return Disposition.FATAL;
    }

    /**
     * A request refused for being signed at the wrong time. The SDK corrects its clock offset from such an answer's
     * Date header even with its own retries off, so the next attempt is signed at the server's time and succeeds.
     */
    private static boolean isClockSkew(AwsServiceException service, String code) {
        if (service.isClockSkewException() || CLOCK_SKEW_CODES.contains(code)) {
            return true;
        }
        if (!SIGNATURE_CODES.contains(code) && service.statusCode() != 403) {
            return false;
        }
        SdkHttpResponse answer = service.awsErrorDetails() == null ? null : service.awsErrorDetails().sdkHttpResponse();
        Optional<String> date = answer == null ? Optional.empty() : answer.firstMatchingHeader("Date");
        // Against this host's own clock: the SDK has already corrected its offset from this very answer, so the
        // corrected clock would agree with the server's. On a host far off, a refusal that is not skew is retried
        // too, within the budget and the bounded redeliveries, and the final message still carries AWS's error.
        try {
            return date.isPresent() && Duration.between(Instant.now(),
                    ZonedDateTime.parse(date.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()).abs()
                    .compareTo(SKEW_THRESHOLD) > 0;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /**
     * A full item collection (an LSI's 10 GB for one partition key) refuses a whole BatchWriteItem for the sake of the
     * writes to that one key: the call is split so that the others are written, and those wait.
     */
    public static boolean concernsSomeWritesOnly(Throwable failure) {
        return failure instanceof AwsServiceException service
                && "ItemCollectionSizeLimitExceededException".equals(errorCode(service));
    }

    /** Whether an error code is IAM's refusal, as DynamoDB, S3, KMS and STS say it. */
    public static boolean isAccessDenied(String code) {
        return ACCESS_DENIED_CODES.contains(code);
    }

    /** Whether a failure is IAM's refusal: a permission missing, not a fault of the request or the service. */
    public static boolean isAccessDenied(Throwable failure) {
        return failure instanceof AwsServiceException service && isAccessDenied(errorCode(service));
    }

    /**
     * Whether a conditional write was refused because its condition did not hold: for a versioned write, the item
     * already holds the same or a newer version. Not a failure: the write is superseded.
     */
    public static boolean isConditionFailed(Throwable failure) {
        return failure instanceof AwsServiceException service
                && "ConditionalCheckFailedException".equals(errorCode(service));
    }

    /**
     * Whether a failure is throttling, as opposed to another transient error; for a cancelled transaction, whether any
     * of its writes was throttled.
     */
    public static boolean isThrottling(Throwable failure) {
        if (failure instanceof TransactionCanceledException cancelled) {
            return cancelled.hasCancellationReasons() && cancelled.cancellationReasons().stream()
                    .anyMatch(reason -> THROTTLING_REASONS.contains(reason.code()));
        }
        return failure instanceof AwsServiceException service
                && (THROTTLING_CODES.contains(errorCode(service)) || service.isThrottlingException());
    }

    /**
     * For a bad record's reason: the error code, HTTP status and AWS's message up to its first colon. What follows a
     * colon in a refusal ("The parameter cannot be converted to a numeric value: ...") may quote the record's values.
     */
    public static String describeWithoutDetail(Throwable failure) {
        String text = describe(failure);
        int status = text.indexOf("): ");
        int detail = status < 0 ? -1 : text.indexOf(':', status + 3);
        return detail < 0 ? text : text.substring(0, detail);
    }

    /**
     * A one-line description for logs and error messages: the error code, HTTP status and AWS's message; for access
     * denied, also which statement of the policies in config/ grants the action ({@link PermissionHint}).
     */
    public static String describe(Throwable failure) {
        if (failure instanceof AwsServiceException service) {
            boolean parsed = service.awsErrorDetails() != null && service.awsErrorDetails().errorMessage() != null;
            String message = parsed ? service.awsErrorDetails().errorMessage() : service.getMessage();
            String code = errorCode(service);
            String raw = parsed ? null : rawAnswer(service);
            // an answer in another format than the protocol's (XML where JSON was due, as emulators and proxies
            // answer) leaves the SDK with no message: read the answer's own
            Optional<String> said = xmlElement(XML_MESSAGE, raw);
            if (said.isPresent()) {
                message = said.get();
                code = code.isEmpty() ? xmlElement(XML_CODE, raw).orElse("") : code;
            }
            String text = (code.isEmpty() ? "" : code + " ") + "(HTTP " + service.statusCode() + "): " + message;
            return isAccessDenied(code) || service.statusCode() == 403
                    ? text + PermissionHint.of(message).or(() -> PermissionHint.of(raw)).map(hint -> ". " + hint)
                    .orElse("") : text;
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return root == failure ? text : text + " (caused by " + root.getClass().getSimpleName() + ": "
                + root.getMessage() + ")";
    }

    /** The text of the first element {@code element} matches in an XML answer, its entities decoded. */
    private static Optional<String> xmlElement(Pattern element, String xml) {
        if (xml == null) {
            return Optional.empty();
        }
        Matcher found = element.matcher(xml);
        return found.find() && !found.group(1).isBlank() ? Optional.of(found.group(1).replace("&quot;", "\"")
                .replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
                : Optional.empty();
    }

    /** The answer's body as text: an answer the SDK could not parse (XML where JSON was due) keeps its message there. */
    private static String rawAnswer(AwsServiceException service) {
        return service.awsErrorDetails() == null || service.awsErrorDetails().rawResponse() == null ? null
                : service.awsErrorDetails().rawResponse().asUtf8String();
    }

    private static String errorCode(AwsServiceException service) {
        return service.awsErrorDetails() != null && service.awsErrorDetails().errorCode() != null
                ? service.awsErrorDetails().errorCode() : "";
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        return cause(failure, type) != null;
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
