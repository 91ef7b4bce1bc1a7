package io.streamoffload.connect.dynamodb.it.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamoffload.connect.dynamodb.DynamoDbSinkConfig;
import io.streamoffload.connect.dynamodb.DynamoDbSinkConnector;
import io.streamoffload.connect.dynamodb.it.ConnectRestClient;
import io.streamoffload.connect.dynamodb.it.ConnectorTestBase;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario 11 of the fault suite: invalid configurations sent to the worker's REST validate endpoint, as a user's
 * tooling would, each reported on the settings involved, none making the endpoint fail.
 */
@ExtendWith(InJvmStackExtension.class)
class InvalidConfigIT extends ConnectorTestBase {
    private final SinkTestStack stack;

    InvalidConfigIT(SinkTestStack stack) {
        this.stack = stack;
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }

    /** @param settings what to change; @param expected each setting that must carry an error containing the text */
    static Arguments invalid(String name, Map<String, String> settings, Map<String, String> expected) {
        return Arguments.of(name, settings, expected);
    }

    static Stream<Arguments> configurations() {
        return Stream.of(
                invalid("no requests per batch", Map.of("batch.size", "0"), Map.of("batch.size", "at least 1")),
                invalid("more than 25 requests per batch", Map.of("batch.size", "26"), Map.of("batch.size", "25")),
                invalid("no concurrency", Map.of("max.concurrent.batches", "0"), Map.of("max.concurrent.batches", "at least 1")),
                invalid("negative budget", Map.of("retry.budget.ms", "-1"), Map.of("retry.budget.ms", "at least 0")),
                invalid("backoff base over its cap", Map.of("retry.backoff.base.ms", "10", "retry.backoff.max.ms", "5"),
                        Map.of("retry.backoff.base.ms", "must not exceed", "retry.backoff.max.ms", "must not exceed")),
                invalid("unknown region", Map.of("aws.region", "moon-1"), Map.of("aws.region", "not an AWS region")),
                invalid("endpoint without scheme", Map.of("dynamodb.endpoint.url", "localhost:8000"),
                        Map.of("dynamodb.endpoint.url", "http://")),
                invalid("static credentials without keys", Map.of("aws.credentials.provider", "static",
                        "aws.access.key.id", "", "aws.secret.access.key", ""),
                        Map.of("aws.access.key.id", "required", "aws.secret.access.key", "required")),
                invalid("profile without a name", Map.of("aws.credentials.provider", "profile"),
                        Map.of("aws.profile.name", "required")),
                invalid("unknown credentials provider", Map.of("aws.credentials.provider", "magic"),
                        Map.of("aws.credentials.provider", "default, static, profile")),
                invalid("illegal table name", Map.of("table.name.format", "bad name!"),
                        Map.of("table.name.format", "not a valid DynamoDB table name")),
                invalid("unknown placeholder", Map.of("table.name.format", "${topik}"),
                        Map.of("table.name.format", "unknown placeholder")),
                invalid("no partition key attribute", Map.of("key.partition.attribute", ""),
                        Map.of("key.partition.attribute", "must not be empty")),
                invalid("key from the value without a field", Map.of("key.partition.source", "record.value",
                        "tombstone.behavior", "ignore"), Map.of("key.partition.field", "is required")),
                invalid("topic name as a number", Map.of("key.partition.source", "kafka.topic", "key.partition.type", "N"),
                        Map.of("key.partition.type", "cannot be stored as type N")),
                invalid("one attribute for both keys", Map.of("key.partition.attribute", "id", "key.sort.attribute", "id"),
                        Map.of("key.partition.attribute", "different names", "key.sort.attribute", "different names")),
                invalid("malformed field path", Map.of("key.partition.field", "a..b"),
                        Map.of("key.partition.field", "")),
                invalid("unknown tombstone behaviour", Map.of("tombstone.behavior", "drop"),
                        Map.of("tombstone.behavior", "delete, ignore")),
                invalid("unknown string format", Map.of("value.string.format", "xml"),
                        Map.of("value.string.format", "json, raw")),
                invalid("TTL without a duration", Map.of("ttl.attribute", "expires"), Map.of("ttl.seconds", "greater than 0")),
                invalid("TTL on the key", Map.of("ttl.attribute", "pk", "ttl.seconds", "60"),
                        Map.of("ttl.attribute", "must not be a key attribute")),
                invalid("raw value on the key", Map.of("value.raw.attribute", "pk"),
                        Map.of("value.raw.attribute", "must not be a key attribute")),
                invalid("offloaded fields without a bucket", Map.of("offload.fields", "html"),
                        Map.of("offload.fields", "needs offload.s3.bucket", "offload.s3.bucket", "needs offload.s3.bucket")),
                invalid("illegal bucket name", Map.of("offload.s3.bucket", "Bad_Bucket"),
                        Map.of("offload.s3.bucket", "not a valid S3 bucket name")),
                invalid("key template escaping its prefix", Map.of("offload.key.template", "../{fingerprint}"),
                        Map.of("offload.key.template", "")),
                invalid("key template without the fingerprint", Map.of("offload.key.template", "objects/{field}"),
                        Map.of("offload.key.template", "{fingerprint}")),
                invalid("pynamodb_mate pointers with zstd, and another setting wrong",
                        Map.of("offload.s3.bucket", "b-1", "offload.pointer.format", "s3-uri", "batch.size", "99"),
                        Map.of("offload.codec", "gzip or none", "offload.pointer.format", "gzip or none", "batch.size", "25")),
                invalid("KMS key without SSE-KMS", Map.of("offload.s3.bucket", "b-1", "s3.sse.kms.key.id", "alias/k"),
                        Map.of("s3.sse.kms.key.id", "needs s3.sse=aws:kms", "s3.sse", "needs s3.sse=aws:kms")),
                invalid("unknown codec", Map.of("offload.codec", "lz4"), Map.of("offload.codec", "zstd, gzip, none")),
                invalid("serializer class not found", Map.of("offload.s3.bucket", "b-1", "offload.fields", "a:com.acme.Nope"),
                        Map.of("offload.fields", "com.acme.Nope")),
                invalid("threshold over the item limit", Map.of("offload.threshold.bytes", "500000"),
                        Map.of("offload.threshold.bytes", "no more than 409600")),
                invalid("not a role ARN", Map.of("aws.assume.role.arn", "role/connector"),
                        Map.of("aws.assume.role.arn", "not an IAM role ARN")),
                invalid("session too short for STS", Map.of("aws.assume.role.duration.seconds", "100"),
                        Map.of("aws.assume.role.duration.seconds", "between 900 and 43200")),
                invalid("one-character session name", Map.of("dynamodb.assume.role.session.name", "x"),
                        Map.of("dynamodb.assume.role.session.name", "2 to 64 characters")),
                invalid("unknown temporal format", Map.of("temporal.format", "rfc"),
                        Map.of("temporal.format", "iso8601, epoch_millis")),
                invalid("attempt timeout of zero", Map.of("aws.api.call.attempt.timeout.ms", "0"),
                        Map.of("aws.api.call.attempt.timeout.ms", "at least 100")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void eachInvalidConfigurationIsReportedOnTheSettingsInvolved(String name, Map<String, String> settings,
                                                                 Map<String, String> expected) {
        Map<String, String> config = baseConfig("orders");
        config.putAll(settings);
        JsonNode result = connect.validate(DynamoDbSinkConnector.class.getSimpleName(), config);
        expected.forEach((setting, text) -> assertThat(ConnectRestClient.errorsFor(result, setting))
                .as("errors on %s", setting).anyMatch(e -> e.contains(text)));
        assertThat(result.path("error_count").asInt()).isPositive();
    }

    /** Garbage in every single setting: the endpoint answers (HTTP 200) with errors, it never fails. */
    @Test
    void garbageInAnySettingIsReportedNeverThrown() {
        List<String> settings = DynamoDbSinkConfig.CONFIG_DEF.names().stream().sorted().toList();
        assertThat(settings).hasSizeGreaterThan(60);
        for (String setting : settings) {
            Map<String, String> config = new HashMap<>(baseConfig("orders"));
            config.put(setting, "\u0000%{garbage}\u00ff" + "9".repeat(30));
            JsonNode result = connect.validate(DynamoDbSinkConnector.class.getSimpleName(), config);
            assertThat(result.path("configs").isArray()).as(setting).isTrue();
        }
    }

    /** Secrets given to validate come back masked, whatever else is wrong. */
    @Test
    void validationNeverEchoesSecrets() {
        Map<String, String> config = baseConfig("orders");
        config.put("aws.secret.access.key", "validate-secret-value-1");
        config.put("dynamodb.session.token", "validate-session-token-1");
        config.put("aws.assume.role.external.id", "validate-external-id-1");
        config.put("batch.size", "99");
        String body = connect.validate(DynamoDbSinkConnector.class.getSimpleName(), config).toString();
        assertThat(body).doesNotContain("validate-secret-value-1", "validate-session-token-1", "validate-external-id-1")
                .contains("[hidden]");
    }
}
