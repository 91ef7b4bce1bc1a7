package io.streamoffload.connect.dynamodb.errors;

import static io.streamoffload.connect.dynamodb.testutil.FakeDynamoDb.serviceError;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier.Disposition;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

class ErrorClassifierTest {

    @ParameterizedTest
    @CsvSource({
        "ProvisionedThroughputExceededException, 400, RETRY",
        "ThrottlingException, 400, RETRY",
        "RequestLimitExceeded, 400, RETRY",
        "InternalServerError, 500, RETRY",
        "ServiceUnavailable, 503, RETRY",
        "ValidationException, 400, BAD_REQUEST",
        "ItemCollectionSizeLimitExceededException, 400, BAD_REQUEST",
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
        assertThat(ErrorClassifier.classify(SdkClientException.create("Unable to load credentials")))
                .isEqualTo(Disposition.FATAL);
    }

    @Test
    void descriptionsAreOneLineWithCodeStatusAndMessage() {
        assertThat(ErrorClassifier.describe(serviceError("ValidationException", 400)))
                .isEqualTo("ValidationException (HTTP 400): fake ValidationException");
        assertThat(ErrorClassifier.describe(SdkClientException.create("Unable to execute HTTP request",
                new IOException("Connection refused"))))
                .isEqualTo("SdkClientException: Unable to execute HTTP request (caused by IOException: Connection refused)");
    }
}
