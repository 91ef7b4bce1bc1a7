package io.streamoffload.connect.dynamodb.offload.store;

import static io.streamoffload.connect.dynamodb.testutil.ConfigBuilder.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamoffload.connect.dynamodb.offload.OffloadSettings;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** What the connector does at start with each answer to its read of a key that does not exist. */
class OffloadBucketCheckTest {
    private final List<GetObjectRequest> reads = new ArrayList<>();

    /** An S3 whose every read fails with {@code answer}. */
    private S3Client answering(RuntimeException answer) {
        return new S3Client() {
            @Override
            public ResponseBytes<GetObjectResponse> getObjectAsBytes(GetObjectRequest request) {
                reads.add(request);
                throw answer;
            }

            @Override
            public String serviceName() {
                return "s3";
            }

            @Override
            public void close() {
            }
        };
    }

    private static S3Exception error(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status).message(code)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("fake " + code).build()).build();
    }

    private static OffloadSettings settings(String... more) {
        var builder = config().with("offload.s3.bucket", "pages").with("offload.fields", "html");
        for (int i = 0; i < more.length; i += 2) {
            builder.with(more[i], more[i + 1]);
        }
        return builder.build().offload().orElseThrow();
    }

    @Test
    void aKeyThatDoesNotExistIsABucketThatCanBeRead() {
        assertThatCode(() -> OffloadBucketCheck.run(answering((NoSuchKeyException) NoSuchKeyException.builder()
                .statusCode(404).build()), settings())).doesNotThrowAnyException();
        assertThat(reads).singleElement().satisfies(read -> {
            assertThat(read.bucket()).isEqualTo("pages");
            assertThat(read.key()).endsWith(OffloadBucketCheck.PROBE);
            assertThat(read.range()).isEqualTo("bytes=0-0");
        });
    }

    @Test
    void aBucketThatDoesNotExistStopsTheConnectorNamingIt() {
        assertThatThrownBy(() -> OffloadBucketCheck.run(answering((NoSuchBucketException) NoSuchBucketException.builder()
                .statusCode(404).awsErrorDetails(AwsErrorDetails.builder().errorCode("NoSuchBucket").build()).build()),
                settings())).isInstanceOf(ConnectException.class).hasMessageContaining("offload.s3.bucket pages does not exist");
    }

    @Test
    void aRefusalStopsTheConnectorAndMentionsTheExpectedOwner() {
        assertThatThrownBy(() -> OffloadBucketCheck.run(answering(error(403, "AccessDenied")),
                settings("s3.expected.bucket.owner", "111122223333")))
                .isInstanceOf(ConnectException.class).hasMessageContaining("Could not check offload.s3.bucket pages")
                .hasMessageContaining("AccessDenied (HTTP 403)")
                .hasMessageContaining("s3.expected.bucket.owner=111122223333");
    }

    @Test
    void aFailureARetryMayGetPastLetsTheConnectorStart() {
        assertThatCode(() -> OffloadBucketCheck.run(answering(error(503, "SlowDown")), settings()))
                .doesNotThrowAnyException();
    }
}
