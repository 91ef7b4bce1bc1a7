package io.streamoffload.connect.dynamodb.errors;

import static io.streamoffload.connect.dynamodb.testutil.FakeDynamoDb.serviceError;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier.Disposition;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.Crc32MismatchException;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

class ErrorClassifierTest {

    @ParameterizedTest
    @CsvSource({
        "ProvisionedThroughputExceededException, 400, RETRY",
        "ThrottlingException, 400, RETRY",
        "RequestLimitExceeded, 400, RETRY",
        "InternalServerError, 500, RETRY",
        "ServiceUnavailable, 503, RETRY",
        "NotImplemented, 501, FATAL",
        "ValidationException, 400, BAD_REQUEST",
        "ItemCollectionSizeLimitExceededException, 400, RETRY",
        "ReplicatedWriteConflictException, 400, RETRY",
        "LimitExceededException, 400, RETRY",
        "TransactionConflictException, 400, RETRY",
        "RequestTimeTooSkewed, 403, RETRY",
        "RequestExpired, 400, RETRY",
        "SerializationException, 400, BAD_REQUEST",
        "ResourceNotFoundException, 400, FATAL",
        "AccessDeniedException, 400, FATAL",
        "UnrecognizedClientException, 400, FATAL",
        "InvalidSignatureException, 400, FATAL",
    })
    void serviceErrorsAreClassifiedByCodeAndStatus(String code, int status, Disposition expected) {
        assertThat(ErrorClassifier.classify(serviceError(code, status))).isEqualTo(expected);
    }

    @Test
    void ioErrorsAndTimeoutsAreRetriedOtherClientErrorsAreFatal() {
        assertThat(ErrorClassifier.classify(SdkClientException.create("Unable to execute HTTP request",
                new IOException("Connection reset")))).isEqualTo(Disposition.RETRY);
        assertThat(ErrorClassifier.classify(ApiCallAttemptTimeoutException.create(1000))).isEqualTo(Disposition.RETRY);
        assertThat(ErrorClassifier.classify(SdkClientException.create("Unable to marshall request")))
                .isEqualTo(Disposition.FATAL);
        assertThat(ErrorClassifier.classify(RetryableException.create("retry me"))).isEqualTo(Disposition.RETRY);
        assertThat(ErrorClassifier.classify(Crc32MismatchException.create("crc32 mismatch", null)))
                .isEqualTo(Disposition.RETRY);
    }

    /** InvalidSignatureException and SignatureDoesNotMatch mean skew only when the answer's Date is minutes away. */
    @Test
    void signatureErrorsAreRetriedOnlyWhenTheServerClockIsFarFromOurs() {
        for (String code : new String[] {"InvalidSignatureException", "SignatureDoesNotMatch"}) {
            assertThat(ErrorClassifier.classify(signatureError(code, java.time.Instant.now().plusSeconds(600))))
                    .as(code + " with the server 10 minutes ahead").isEqualTo(Disposition.RETRY);
            assertThat(ErrorClassifier.classify(signatureError(code, java.time.Instant.now())))
                    .as(code + " with clocks that agree: wrong credentials").isEqualTo(Disposition.FATAL);
        }
    }

    /** As the SDK builds it from an answer, with the Date header the server sent. */
    private static AwsServiceException signatureError(String code, java.time.Instant serverTime) {
        String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.withZone(java.time.ZoneOffset.UTC)
                .format(serverTime);
        // as DynamoDB's JSON errors arrive: no clock skew measured on the exception, only the answer's Date header
        return AwsServiceException.builder().statusCode(403)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("Signature expired")
                        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(403).putHeader("Date", date).build())
                        .build())
                .build();
    }

    /** A credentials source that fails to answer is retried; STS refusing the role, or no credentials at all, is not. */
    @Test
    void credentialsThatCouldNotBeFetchedAreRetriedUnlessNoneAreConfiguredOrStsRefusesTheRole() {
        assertThat(ErrorClassifier.classify(credentialsFailure(SdkClientException.create(
                "Failed to load credentials from IMDS.", new IOException("Connect timed out")))))
                .as("instance metadata not answering").isEqualTo(Disposition.RETRY);
        assertThat(ErrorClassifier.classify(credentialsFailure(serviceError("InternalFailure", 500))))
                .as("STS failing").isEqualTo(Disposition.RETRY);
        assertThat(ErrorClassifier.classify(credentialsFailure(serviceError("AccessDenied", 403))))
                .as("STS refusing the role").isEqualTo(Disposition.FATAL);
        assertThat(ErrorClassifier.classify(credentialsFailure(SdkClientException.create(
                "Unable to load credentials from any of the providers in the chain"))))
                .as("nothing configured").isEqualTo(Disposition.FATAL);
    }

    private static SdkClientException credentialsFailure(Throwable source) {
        return SdkClientException.builder().message("Could not get AWS credentials")
                .cause(new CredentialsUnavailableException(source)).build();
    }

    @Test
    void reasonsForRefusedRecordsStopBeforeTheDetailThatMayQuoteValues() {
        assertThat(ErrorClassifier.describeWithoutDetail(serviceError("ValidationException", 400)))
                .isEqualTo("ValidationException (HTTP 400): fake ValidationException");
        AwsServiceException quoting = AwsServiceException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException")
                        .errorMessage("The parameter cannot be converted to a numeric value: SECRET-42").build()).build();
        assertThat(ErrorClassifier.describeWithoutDetail(quoting))
                .isEqualTo("ValidationException (HTTP 400): The parameter cannot be converted to a numeric value");
    }

    @Test
    void aTransactionCancelledForAThrottledWriteIsThrottlingAndOneCancelledForAConditionIsNot() {
        assertThat(ErrorClassifier.isThrottling(cancelled("None", "ThrottlingError"))).isTrue();
        assertThat(ErrorClassifier.isThrottling(cancelled("ProvisionedThroughputExceeded", "None"))).isTrue();
        assertThat(ErrorClassifier.isThrottling(cancelled("None", "ConditionalCheckFailed"))).isFalse();
        assertThat(ErrorClassifier.isConditionFailed(cancelled("ConditionalCheckFailed"))).as("judged write by write")
                .isFalse();
    }

    private static TransactionCanceledException cancelled(String... reasons) {
        return TransactionCanceledException.builder().message("Transaction cancelled").cancellationReasons(
                java.util.Arrays.stream(reasons).map(code -> CancellationReason.builder().code(code).build()).toList())
                .build();
    }

    @Test
    void accessDeniedNamesTheStatementsOfTheShippedPoliciesThatGrantTheAction() {
        AwsServiceException denied = AwsServiceException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails
                .builder().errorCode("AccessDeniedException").errorMessage("User: arn:aws:iam::123456789012:user/sink "
                        + "is not authorized to perform: dynamodb:PutItem on resource: "
                        + "arn:aws:dynamodb:eu-west-1:123456789012:table/orders because no identity-based policy allows "
                        + "the dynamodb:PutItem action").build()).build();
        assertThat(ErrorClassifier.classify(denied)).isEqualTo(Disposition.FATAL);
        assertThat(ErrorClassifier.describe(denied)).endsWith("the dynamodb:PutItem action. Grant dynamodb:PutItem on "
                + "arn:aws:dynamodb:eu-west-1:123456789012:table/orders: statement "
                + "'WriteItemsOneByOneOnlyWithUpdatesVersionsOrChangeEvents' of config/iam-policy-sink.json, "
                + "config/iam-policy-sink-offload.json, config/iam-policy-sink-offload-kms.json grants it");
        AwsServiceException listing = AwsServiceException.builder().statusCode(403).awsErrorDetails(AwsErrorDetails
                .builder().errorCode("AccessDenied").errorMessage("User: arn:aws:iam::123456789012:user/tool is not "
                        + "authorized to perform: s3:ListBucket").build()).build();
        assertThat(ErrorClassifier.describe(listing)).endsWith("Grant s3:ListBucket: statement "
                + "'ListTheBucketSoThatAMissingKeyAnswers404' of config/iam-policy-sink-offload.json, "
                + "config/iam-policy-sink-offload-kms.json; statement 'ListTheOffloadBucketForGc' of "
                + "config/iam-policy-offload-tool.json grants it");
        assertThat(ErrorClassifier.describe(serviceError("ValidationException", 400))).as("no hint for other errors")
                .doesNotContain("Grant");
    }

    /** An answer the SDK could not parse (moto answers DynamoDB's refusals in XML) still reads as what it said. */
    @Test
    void anAnswerInAnotherFormatIsDescribedByItsOwnCodeAndMessage() {
        AwsServiceException unparsed = AwsServiceException.builder().statusCode(403).message("Service returned HTTP "
                + "status code 403").awsErrorDetails(AwsErrorDetails.builder().rawResponse(software.amazon.awssdk.core
                .SdkBytes.fromUtf8String("<?xml version=\"1.0\"?><ErrorResponse><Errors><Error><Code>AccessDenied</Code>"
                        + "<Message>User: arn:aws:iam::123456789012:user/sink is not authorized to perform: "
                        + "dynamodb:PutItem &amp; more</Message></Error></Errors></ErrorResponse>")).build()).build();
        assertThat(ErrorClassifier.describe(unparsed)).startsWith("AccessDenied (HTTP 403): User: "
                + "arn:aws:iam::123456789012:user/sink is not authorized to perform: dynamodb:PutItem & more. Grant "
                + "dynamodb:PutItem: statement 'WriteItemsOneByOneOnlyWithUpdatesVersionsOrChangeEvents'");
    }
}
