package io.streamoffload.connect.dynamodb;

import static io.streamoffload.connect.dynamodb.testutil.ConfigBuilder.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamoffload.connect.dynamodb.config.CredentialsMode;
import io.streamoffload.connect.dynamodb.config.KeySource;
import io.streamoffload.connect.dynamodb.config.KeySpec;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class DynamoDbSinkConfigTest {

    private static Map<String, List<String>> validationErrors(Map<String, String> props) {
        Config result = new DynamoDbSinkConnector().validate(props);
        return result.configValues().stream().filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    @Test
    void defaultsDescribeOneTablePerTopicKeyedByTheRecordKey() {
        DynamoDbSinkConfig config = config().build();
        assertThat(config.tableNameFormat().tableFor("orders")).isEqualTo("orders");
        assertThat(config.partitionKey().attribute()).isEqualTo("pk");
        assertThat(config.partitionKey().source()).isEqualTo(KeySource.RECORD_KEY);
        assertThat(config.sortKey()).isEmpty();
        assertThat(config.deleteOnTombstone()).isTrue();
        assertThat(config.batchSize()).isEqualTo(25);
        assertThat(config.dynamoDbConnection().credentialsMode()).isEqualTo(CredentialsMode.DEFAULT);
        assertThat(config.problems()).isEmpty();
    }

    @Test
    void serviceSettingsOverrideSharedOnesAndInheritTheRest() {
        DynamoDbSinkConfig config = config()
                .with("aws.endpoint.url", "http://shared:4566")
                .with("s3.endpoint.url", "http://s3-only:9000")
                .with("s3.region", "eu-west-1")
                .with("aws.credentials.provider", "static")
                .with("aws.access.key.id", "AKIASHARED")
                .with("aws.secret.access.key", "shared-secret")
                .with("s3.credentials.provider", "profile")
                .with("s3.profile.name", "archive")
                .build();
        assertThat(config.dynamoDbConnection().endpoint()).contains(URI.create("http://shared:4566"));
        assertThat(config.dynamoDbConnection().region()).contains("us-east-1");
        assertThat(config.dynamoDbConnection().credentialsMode()).isEqualTo(CredentialsMode.STATIC);
        assertThat(config.dynamoDbConnection().secretAccessKey().orElseThrow().value()).isEqualTo("shared-secret");
        assertThat(config.s3Connection().endpoint()).contains(URI.create("http://s3-only:9000"));
        assertThat(config.s3Connection().region()).contains("eu-west-1");
        assertThat(config.s3Connection().credentialsMode()).isEqualTo(CredentialsMode.PROFILE);
        assertThat(config.s3Connection().profileName()).contains("archive");
    }

    @Test
    void secretsNeverAppearInToStringOrLoggedValues() {
        DynamoDbSinkConfig config = config()
                .with("aws.credentials.provider", "static")
                .with("aws.access.key.id", "AKIAVISIBLE")
                .with("aws.secret.access.key", "top-secret-value")
                .with("aws.session.token", "token-value")
                .build();
        assertThat(config.dynamoDbConnection().toString()).doesNotContain("top-secret-value", "AKIAVISIBLE", "token-value");
        assertThat(config.getPassword("aws.secret.access.key").toString()).doesNotContain("top-secret-value");
        assertThat(DynamoDbSinkConfig.CONFIG_DEF.configKeys().get("aws.secret.access.key").type)
                .isEqualTo(org.apache.kafka.common.config.ConfigDef.Type.PASSWORD);
    }

    @Test
    void staticCredentialsWithoutKeysAreReportedOnEachSetting() {
        Map<String, List<String>> errors = validationErrors(config().with("aws.credentials.provider", "static").props());
        assertThat(errors.get("aws.access.key.id")).anyMatch(e -> e.contains("required when aws.credentials.provider=static"));
        assertThat(errors.get("aws.secret.access.key")).anyMatch(e -> e.contains("required"));
        assertThat(errors.get("aws.credentials.provider")).isNotEmpty();
        assertThatThrownBy(() -> config().with("aws.credentials.provider", "static").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("aws.access.key.id");
    }

    @Test
    void keyFromValueNeedsAFieldAndCannotDeleteOnTombstones() {
        Map<String, List<String>> errors = validationErrors(config().with("key.partition.source", "record.value").props());
        assertThat(errors.get("key.partition.field")).anyMatch(e -> e.contains("is required"));
        assertThat(errors.get("tombstone.behavior")).anyMatch(e -> e.contains("tombstone.behavior=ignore"));
        assertThat(errors.get("key.partition.source")).hasSize(2);
    }

    /** One item per call makes latency the limit: single-item writes get their own, larger bound and pool. */
    @Test
    void singleItemWritesKeepMoreCallsInFlightThanBatches() {
        assertThat(config().build().maxConcurrentDynamoDbCalls()).isEqualTo(4);
        DynamoDbSinkConfig updates = config().with("write.mode", "update").build();
        assertThat(updates.maxConcurrentItemWrites()).isEqualTo(32);
        assertThat(updates.maxConcurrentDynamoDbCalls()).isEqualTo(32);
        assertThat(config().with("write.version.source", "kafka.offset").with("max.concurrent.item.writes", 100).build()
                .maxConcurrentDynamoDbCalls()).isEqualTo(100);
        assertThat(validationErrors(config().with("max.concurrent.item.writes", 0).props()))
                .containsKey("max.concurrent.item.writes");
    }

    @Test
    void singleSettingErrorsNameTheAllowedValues() {
        Map<String, List<String>> errors = validationErrors(config()
                .with("batch.size", 26)
                .with("tombstone.behavior", "drop")
                .with("dynamodb.endpoint.url", "localhost:8000")
                .with("aws.region", "moon-1")
                .with("table.name.format", "bad name!")
                .props());
        assertThat(errors.get("batch.size")).anyMatch(e -> e.contains("25"));
        assertThat(errors.get("tombstone.behavior")).anyMatch(e -> e.contains("delete, ignore"));
        assertThat(errors.get("dynamodb.endpoint.url")).anyMatch(e -> e.contains("http://"));
        assertThat(errors.get("aws.region")).anyMatch(e -> e.contains("region"));
        assertThat(errors.get("table.name.format")).anyMatch(e -> e.contains("not a valid DynamoDB table name"));
    }

    @Test
    void relationsBetweenSettingsAreChecked() {
        assertThat(validationErrors(config().with("retry.backoff.base.ms", 9000).with("retry.backoff.max.ms", 100).props()))
                .containsKeys("retry.backoff.base.ms", "retry.backoff.max.ms");
        assertThat(validationErrors(config().with("ttl.attribute", "exp").props())).containsKeys("ttl.seconds", "ttl.attribute");
        assertThat(validationErrors(config().with("key.sort.attribute", "pk").props()))
                .containsKeys("key.partition.attribute", "key.sort.attribute");
        assertThat(validationErrors(config().with("key.partition.source", "kafka.topic").with("key.partition.type", "N").props()))
                .containsKeys("key.partition.type");
        assertThat(validationErrors(config().with("key.partition.source", "kafka.offset").with("key.partition.field", "x").props()))
                .containsKeys("key.partition.field");
        assertThat(validationErrors(config().with("table.name.format", "${topik}").props())).containsKeys("table.name.format");
    }

    @Test
    void sortKeyIsParsedWithItsOwnLimit() {
        DynamoDbSinkConfig config = config().with("key.sort.attribute", "sk").with("key.sort.source", "kafka.offset")
                .with("key.sort.type", "n").build();
        KeySpec sort = config.sortKey().orElseThrow();
        assertThat(sort.maxBytes()).isEqualTo(1024);
        assertThat(config.partitionKey().maxBytes()).isEqualTo(2048);
        assertThat(config.keys()).extracting(KeySpec::attribute).containsExactly("pk", "sk");
    }

    @Test
    void tableNameFromTopicMustBeLegal() {
        DynamoDbSinkConfig config = config().with("table.name.format", "${topic}").build();
        assertThatThrownBy(() -> config.tableNameFormat().tableFor("ab"))
                .hasMessageContaining("not a valid DynamoDB table name");
    }

    @Test
    void offloadSettingsAreCheckedTogether() {
        assertThat(validationErrors(config().with("offload.fields", "html").props()))
                .containsKeys("offload.fields", "offload.s3.bucket");
        assertThat(validationErrors(config().with("offload.s3.bucket", "b-1").with("offload.pointer.format", "s3-uri").props()))
                .containsKeys("offload.codec", "offload.pointer.format");
        assertThat(validationErrors(config().with("offload.s3.bucket", "b-1").with("s3.sse.kms.key.id", "k").props()))
                .containsKeys("s3.sse.kms.key.id", "s3.sse");
        assertThat(validationErrors(config().with("offload.s3.bucket", "b-1").with("offload.fields", "a:com.acme.Nope").props())
                .get("offload.fields")).anyMatch(e -> e.contains("com.acme.Nope"));
        assertThat(validationErrors(config().with("offload.s3.bucket", "Bad_Bucket").props())).containsKeys("offload.s3.bucket");
        assertThat(validationErrors(config().with("offload.key.template", "../{fingerprint}").props()))
                .containsKeys("offload.key.template");
        assertThat(validationErrors(config().with("value.raw.attribute", "pk").props()))
                .containsKeys("value.raw.attribute", "key.partition.attribute");
        assertThat(config().with("offload.s3.bucket", "b-1").with("s3.sse", "aes256").build().offload().orElseThrow()
                .serverSideEncryption()).contains("AES256");
        // parked dead letters need a prefix of their own, outside the offloaded objects' keys
        assertThat(validationErrors(config().with("offload.dead.letter.prefix", "no-slash").props()))
                .containsKeys("offload.dead.letter.prefix");
        assertThat(validationErrors(config().with("offload.s3.bucket", "b-1")
                .with("offload.dead.letter.prefix", "offload/dead/").props()))
                .containsKeys("offload.dead.letter.prefix", "offload.key.template");
        assertThat(validationErrors(config().with("offload.s3.bucket", "b-1")
                .with("offload.dead.letter.prefix", "_dynamodb-offload/gc-marks/x/").props()))
                .containsKeys("offload.dead.letter.prefix");
        assertThat(config().with("offload.s3.bucket", "b-1").build().offload().orElseThrow().deadLetterPrefix())
                .isEqualTo("_dynamodb-offload/dead-letters/");
    }

    @Test
    void offloadIsOffWithoutABucketAndParsedWithOne() {
        assertThat(config().build().offload()).isEmpty();
        var offload = config().with("offload.s3.bucket", "my-bucket").with("offload.fields", "html:text, page.meta")
                .with("offload.codec", "gzip").with("s3.sse", "aws:kms").with("s3.sse.kms.key.id", "alias/k").build()
                .offload().orElseThrow();
        assertThat(offload.bucket()).isEqualTo("my-bucket");
        assertThat(offload.namedFields()).extracting(f -> f.path().toString()).containsExactly("html", "page.meta");
        assertThat(offload.namedFields().get(0).serializer().orElseThrow().format()).isEqualTo("text");
        assertThat(offload.namedFields().get(1).serializer()).isEmpty();
        assertThat(offload.codec().configValue()).isEqualTo("gzip");
        assertThat(offload.serverSideEncryption()).contains("aws:kms");
        assertThat(offload.kmsKeyId()).contains("alias/k");
        assertThat(offload.thresholdBytes()).isEqualTo(100 * 1024);
    }

    @Test
    void conflictsAmongValidSettingsAreReportedEvenWhenAnotherSettingIsWrong() {
        Map<String, List<String>> errors = validationErrors(config()
                .with("offload.s3.bucket", "b-1").with("offload.pointer.format", "s3-uri") // zstd by default: a conflict
                .with("batch.size", 99)                                                     // wrong on its own
                .props());
        assertThat(errors.get("batch.size")).anyMatch(e -> e.contains("25"));
        assertThat(errors.get("offload.codec")).anyMatch(e -> e.contains("gzip or none"));
        assertThat(errors.get("offload.pointer.format")).anyMatch(e -> e.contains("gzip or none"));
    }

    @Test
    void aRuleInvolvingAnInvalidSettingIsNotReportedOnTheGuessedDefault() {
        // key.sort.type is invalid on its own, so whether it conflicts with kafka.topic is not known: no guess
        Map<String, List<String>> errors = validationErrors(config().with("key.sort.attribute", "sk")
                .with("key.sort.source", "kafka.topic").with("key.sort.type", "X").props());
        assertThat(errors.get("key.sort.type")).singleElement().asString().contains("S, N, B");
        assertThat(errors).doesNotContainKey("key.sort.source");
    }

    @Test
    void tablesAreCheckedAtStartOnlyWhenTheConfigAloneNamesThem() {
        Map<String, String> plain = config().with("topics", "orders, refunds").with("table.name.format", "${topic}-v1").props();
        assertThat(DynamoDbSinkConnector.tablesKnownAtStart(new DynamoDbSinkConfig(plain), plain))
                .containsExactly("orders-v1", "refunds-v1");
        Map<String, String> renamed = config().with("topics", "orders").with("transforms", "route")
                .with("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter").props();
        assertThat(DynamoDbSinkConnector.tablesKnownAtStart(new DynamoDbSinkConfig(renamed), renamed))
                .as("a transform may rename the topic: the tasks check the tables records really go to").isEmpty();
        Map<String, String> fixed = config().with("topics.regex", "orders-.*").with("table.name.format", "all-orders")
                .with("transforms", "route").props();
        assertThat(DynamoDbSinkConnector.tablesKnownAtStart(new DynamoDbSinkConfig(fixed), fixed)).containsExactly("all-orders");
    }

    @Test
    void writeModesDefaultToWholeItemPutsWithoutVersionsAndReportInconsistentSettingsPerField() {
        assertThat(config().build().writeSettings().singleItemWrites()).isFalse();
        assertThat(config().with("write.mode", "update").build().writeSettings().singleItemWrites()).isTrue();
        assertThat(config().with("write.version.source", "kafka.offset").build().writeSettings().version())
                .hasValueSatisfying(v -> assertThat(v.attribute()).isEqualTo("_version"));

        Map<String, List<String>> errors = validationErrors(config().with("write.version.source", "record.value")
                .with("tombstone.behavior", "ignore").props());
        assertThat(errors.get("write.version.field")).singleElement().asString()
                .contains("write.version.field is required when write.version.source=record.value");
        errors = validationErrors(config().with("write.version.field", "rev").props());
        assertThat(errors.get("write.version.field")).singleElement().asString().contains("has no effect");
        errors = validationErrors(config().with("write.version.source", "kafka.offset")
                .with("write.version.attribute", "pk").props());
        assertThat(errors.get("write.version.attribute")).singleElement().asString()
                .contains("must not be a key attribute");
        errors = validationErrors(config().with("write.version.source", "record.value")
                .with("write.version.field", "rev").props());
        assertThat(errors.get("tombstone.behavior")).singleElement().asString()
                .contains("a tombstone has no value to take the version from");
        errors = validationErrors(config().with("write.mode", "merge").props());
        assertThat(errors.get("write.mode")).singleElement().asString().contains("put, update");
    }

    @Test
    void changeEventsTakeADeletesKeyFromBeforeSoAValueKeyNeedsNoTombstoneSetting() {
        DynamoDbSinkConfig config = config().with("cdc.format", "debezium").with("key.partition.source", "record.value")
                .with("key.partition.field", "id").build();
        assertThat(config.problems()).isEmpty();
        assertThat(validationErrors(config().with("key.partition.source", "record.value")
                .with("key.partition.field", "id").props())).containsKey("tombstone.behavior");
    }

    @Test
    void debeziumsPlaceholderIsRecognisedByDefaultWithChangeEventsAndItsAttributeIsChecked() {
        assertThat(config().with("cdc.format", "debezium").build().writeSettings().unavailable())
                .hasValueSatisfying(u -> {
                    assertThat(u.text()).isEqualTo("__debezium_unavailable_value");
                    assertThat(u.columnsAttribute()).isEqualTo("_unavailable_columns");
                });
        assertThat(config().build().writeSettings().unavailable()).as("rows, not change events").isEmpty();
        assertThat(config().with("cdc.format", "debezium").with("cdc.unavailable.value.placeholder", "").build()
                .writeSettings().unavailable()).as("off").isEmpty();

        Map<String, List<String>> errors = validationErrors(config().with("cdc.format", "debezium")
                .with("cdc.unavailable.value.placeholder", "hex:abc").props());
        assertThat(errors.get("cdc.unavailable.value.placeholder")).singleElement().asString().contains("even");
        errors = validationErrors(config().with("cdc.format", "debezium").with("write.version.source", "kafka.offset")
                .with("cdc.unavailable.columns.attribute", "_version").props());
        assertThat(errors.get("cdc.unavailable.columns.attribute")).singleElement().asString()
                .contains("must not be the version attribute");
        errors = validationErrors(config().with("cdc.format", "debezium").with("cdc.unavailable.columns.attribute", "pk")
                .props());
        assertThat(errors.get("cdc.unavailable.columns.attribute")).singleElement().asString()
                .contains("must not be a key attribute");
    }
}
