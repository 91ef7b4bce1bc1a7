package io.streamoffload.connect.dynamodb.it.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamoffload.connect.dynamodb.it.stack.FaultProxy.AwsError;
import io.streamoffload.connect.dynamodb.it.stack.FaultProxy.Fault;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.testutil.LogCapture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 10 of the fault suite: a corpus of bad records, each of which must reach the dead letter queue with a reason
 * that names the record and the rule, and none of its content, while the records around it are written and the task
 * keeps running; and, without a dead letter queue, a clear stop that names the record.
 */
@ExtendWith(InJvmStackExtension.class)
class BadRecordCorpusIT extends FaultScenarioBase {
    /** Put into bad records' content: it must appear in no reason, header or log line. */
    private static final String MARKER = "CONTENT-MARKER-7Q";
    private final SinkTestStack stack;

    BadRecordCorpusIT(SinkTestStack stack) {
        this.stack = stack;
    }

    @Override
    protected SinkTestStack stack() {
        return stack;
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String nested(int depth) {
        return "{\"a\":".repeat(depth) + "\"" + MARKER + "\"" + "}".repeat(depth);
    }

    /** Values that are JSON strings, parsed by the connector itself (StringConverter, value.string.format=json). */
    @Test
    void everyKindOfBadJsonRecordReachesTheDeadLetterQueueWithItsReasonWhileTheRestIsWritten() {
        Map<String, String> config = faultConfig();
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.string.format", "json");
        config.put("errors.log.enable", "true");
        config.put("errors.log.include.messages", "true");
        // bad records of several MB go to the dead letter queue as they were consumed
        config.put("producer.override.max.request.size", Integer.toString(16 * 1024 * 1024));
        // DynamoDB itself refuses some writes: the call is split to find them, and the write before it to the same
        // key in the same batch is applied instead
        dynamoProxy.script(r -> r.operation().equals("BatchWriteItem") && r.bodyText().contains("REFUSED-BY-DYNAMODB")
                ? Fault.error(new AwsError(400, "ValidationException", "One or more parameter values were invalid"))
                : Fault.FORWARD);
        int good = 0;
        try (LogCapture logs = new LogCapture()) {
            startConnector(unique("corpus"), config);
            ledger.put("good-" + good++, "{\"v\":1}");
            // keys
            ledger.bad(null, utf8("{\"v\":\"" + MARKER + "\"}"), "record key is null");
            ledger.bad(utf8(""), utf8("{\"v\":1}"), "is empty");
            ledger.bad(utf8("k".repeat(2049)), utf8("{\"v\":1}"), "2049 bytes; DynamoDB allows at most 2048");
            ledger.bad(utf8("日".repeat(1000)), utf8("{\"v\":1}"), "3000 bytes; DynamoDB allows at most 2048");
            ledger.put("good-" + good++, "{\"v\":2}");
            // not a JSON object
            ledger.bad(utf8("plain-text"), utf8("hello " + MARKER), "not valid JSON");
            ledger.bad(utf8("array"), utf8("[1,2,\"" + MARKER + "\"]"), "is a JSON array, not a JSON object");
            ledger.bad(utf8("string"), utf8("\"" + MARKER + "\""), "is a JSON string, not a JSON object");
            ledger.bad(utf8("number"), utf8("42"), "is a JSON number, not a JSON object");
            ledger.bad(utf8("json-null"), utf8("null"), "is a JSON null, not a JSON object");
            ledger.bad(utf8("empty-value"), utf8(""), "document with no content");
            ledger.bad(utf8("blank-value"), utf8("   \n "), "document with no content");
            // malformed and hostile JSON
            ledger.bad(utf8("truncated"), utf8("{\"a\":\"" + MARKER), "not valid JSON");
            ledger.bad(utf8("bare-token"), utf8("{\"a\": " + MARKER + "}"), "not valid JSON");
            ledger.bad(utf8("nan"), utf8("{\"a\": NaN}"), "not valid JSON");
            ledger.bad(utf8("infinity"), utf8("{\"a\": -Infinity}"), "not valid JSON");
            ledger.bad(utf8("long-number"), utf8("{\"n\":1" + "2".repeat(1000) + ",\"m\":\"" + MARKER + "\"}"),
                    "Number value length (1001)");
            ledger.bad(utf8("deep-arrays"), utf8("[".repeat(1001) + "\"" + MARKER + "\"" + "]".repeat(1001)),
                    "nesting depth");
            ledger.bad(utf8("huge-malformed"), utf8("{\"s\":\"" + MARKER + "x".repeat(3 * 1024 * 1024) + "\", "
                    + MARKER + "}"), "not valid JSON");
            ledger.put("good-" + good++, "{\"v\":3}");
            // DynamoDB's rules on numbers and nesting
            ledger.bad(utf8("39-digits"), utf8("{\"n\":123456789012345678901234567890123456789}"), "39 significant digits");
            ledger.bad(utf8("too-large"), utf8("{\"n\":1e200}"), "outside DynamoDB's number range");
            ledger.bad(utf8("too-small"), utf8("{\"n\":-1e-200}"), "outside DynamoDB's number range");
            ledger.bad(utf8("nested-33"), utf8(nested(33)), "nested 33 levels deep");
            ledger.bad(utf8("empty-map-key"), utf8("{\"m\":{\"\":\"" + MARKER + "\"}}"), "has an attribute with an empty name");
            // an item that cannot fit even with every large field offloaded: 2,000 small fields
            StringBuilder small = new StringBuilder("{");
            for (int i = 0; i < 2000; i++) {
                small.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":\"").append("s".repeat(240)).append('"');
            }
            ledger.bad(utf8("unfittable"), utf8(small.append('}').toString()), "keys and remaining small fields alone exceed");
            ledger.bad(utf8("empty-attribute-name"), utf8("{\"\":\"" + MARKER + "\"}"), "has an attribute with an empty name");
            // refused by DynamoDB itself: the record is reported, and the write before it to that key is applied
            ledger.put("refused", "{\"v\":\"kept\"}");
            ledger.bad(utf8("refused"), utf8("{\"v\":\"REFUSED-BY-DYNAMODB\"}"), "DynamoDB rejected the write");
            ledger.put("good-" + good++, "{\"v\":4}");
            // not bad at all, though unusual: each must be written (or deleted) as it is
            ledger.put("dup-keys", "{\"a\":1,\"a\":2}", "{\"a\":2}");
            ledger.delete("never-written");
            ledger.put("same-key", "{\"v\":\"first\"}");
            ledger.put("same-key", "{\"v\":\"second\"}");
            ledger.put("type-change", "{\"v\":\"a string\"}");
            ledger.put("type-change", "{\"v\":{\"now\":\"a map\"}}");
            ledger.put("unicode-κλειδί-🔑", "{\"v\":\"ünïcödé 🔑\"}");
            ledger.put("body-as-object", "{\"body\":{\"nested\":[1,2,3]}}");
            ledger.put("large-body", "{\"body\":\"" + "large ".repeat(600_000) + "\"}");
            // five lists of 25,000 -1.5: 375 KB by digit count, 625 KB as DynamoDB stores them: offloaded, not refused
            StringBuilder readings = new StringBuilder("{");
            for (int i = 0; i < 5; i++) {
                readings.append(i == 0 ? "" : ",").append("\"r").append(i).append("\":[")
                        .append("-1.5,".repeat(24_999)).append("-1.5]");
            }
            String readingsJson = readings.append('}').toString();
            ledger.put("negative-decimals", readingsJson, readingsJson, "five equal lists of -1.5: one object");
            ledger.put("good-" + good, "{\"v\":5}");

            awaitReconciled();
            assertThat(ledger.size()).isGreaterThanOrEqualTo(40);
            assertThat(taskState()).isEqualTo("RUNNING");
            assertNoContentInDeadLetters();
            assertThat(logs.containing(MARKER)).as("log lines quoting record content").isEmpty();
        }
    }

    /** Values converted by JsonConverter with schemas: Structs, logical types, maps with non-string keys. */
    @Test
    void badStructRecordsAndASchemaChangeMidStream() {
        Map<String, String> config = faultConfig();
        config.put("value.converter.schemas.enable", "true");
        config.put("value.converter.decimal.format", "NUMERIC");
        config.put("key.sort.attribute", "id");
        config.put("key.sort.source", "record.value");
        config.put("key.sort.field", "id");
        config.put("key.sort.type", "N");
        config.put("tombstone.behavior", "ignore");
        startConnector(unique("structs"), config);

        String idV = "{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int64\"},{\"field\":\"v\",\"type\":\"int32\"}]}";
        ledger.put("s-1", envelope(idV, "{\"id\":1,\"v\":7}"), "{\"id\":1,\"v\":7}");
        // the schema changes mid-stream: v becomes a string, id a numeric string: both written as they are
        String changed = "{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"string\"},{\"field\":\"v\",\"type\":\"string\"}]}";
        ledger.put("s-2", envelope(changed, "{\"id\":\"2\",\"v\":\"seven\"}"), "{\"id\":2,\"v\":\"seven\"}");
        String noId = "{\"type\":\"struct\",\"fields\":[{\"field\":\"v\",\"type\":\"int32\"}]}";
        ledger.bad(utf8("s-3"), utf8(envelope(noId, "{\"v\":1}")), "has no field 'id'");
        String optionalId = "{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int64\",\"optional\":true}]}";
        ledger.bad(utf8("s-4"), utf8(envelope(optionalId, "{\"id\":null}")), "is null; DynamoDB keys must have a value");
        String textId = "{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"string\"}]}";
        ledger.bad(utf8("s-5"), utf8(envelope(textId, "{\"id\":\"" + MARKER + "\"}")), "that is not a number");
        String mapId = "{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"map\",\"keys\":{\"type\":\"string\"},"
                + "\"values\":{\"type\":\"string\"}}]}";
        ledger.bad(utf8("s-6"), utf8(envelope(mapId, "{\"id\":{\"a\":\"" + MARKER + "\"}}")), "must be a number but the record holds a map");
        String decimal = "{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int64\"},{\"field\":\"price\",\"type\":\"bytes\","
                + "\"name\":\"org.apache.kafka.connect.data.Decimal\",\"version\":1,\"parameters\":{\"scale\":\"1\"}}]}";
        ledger.bad(utf8("s-7"), utf8(envelope(decimal, "{\"id\":7,\"price\":" + "9".repeat(40) + ".5}")), "41 significant digits");
        String structKeys = "{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int64\"},{\"field\":\"m\",\"type\":\"map\","
                + "\"keys\":{\"type\":\"struct\",\"fields\":[{\"field\":\"x\",\"type\":\"int32\"}]},\"values\":{\"type\":\"string\"}}]}";
        ledger.bad(utf8("s-8"), utf8(envelope(structKeys, "{\"id\":8,\"m\":[[{\"x\":1},\"" + MARKER + "\"]]}")),
                "DynamoDB map keys must be strings");
        String intKeys = "{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int64\"},{\"field\":\"m\",\"type\":\"map\","
                + "\"keys\":{\"type\":\"int32\"},\"values\":{\"type\":\"string\"}}]}";
        ledger.put("s-9", envelope(intKeys, "{\"id\":9,\"m\":[[1,\"one\"],[2,\"two\"]]}"), "{\"id\":9,\"m\":{\"1\":\"one\",\"2\":\"two\"}}");
        ledger.put("s-10", envelope(idV, "{\"id\":10,\"v\":10}"), "{\"id\":10,\"v\":10}");

        awaitReconciled();
        assertThat(taskState()).isEqualTo("RUNNING");
        assertNoContentInDeadLetters();
    }

    @Test
    void withoutADeadLetterQueueABadRecordStopsTheTaskNamingTheRecordAndTheFix() {
        Map<String, String> config = faultConfig();
        config.remove("errors.tolerance");
        config.remove("errors.deadletterqueue.topic.name");
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        startConnector(unique("nodlq"), config);
        kafka.produce(topic, "fine", "{\"v\":1}");
        kafka.produce(topic, "bad", "{\"n\":1e200,\"secret\":\"" + MARKER + "\"}");

        assertThat(awaitTaskFailed()).contains("record " + topic + "/0/1").contains("outside DynamoDB's number range")
                .contains("errors.tolerance=all").doesNotContain(MARKER);
        assertThat(getItem(topic, pk("fine"))).isNotNull();
    }

    /**
     * Kafka Connect's dead letter queue producer drops records over its max.request.size with only a log line. With
     * offload on, the connector parks such a record in S3 (OversizedDeadLetterIT); without a bucket to park it in, it
     * stops instead of letting a bad record vanish, and says what to change.
     */
    @Test
    void withoutOffloadABadRecordTooLargeForTheDeadLetterQueueStopsTheTaskInsteadOfVanishing() {
        Map<String, String> config = faultConfig();
        config.remove("offload.s3.bucket");
        config.remove("offload.fields");
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        startConnector(unique("bigdlq"), config);
        kafka.produce(topic, "fine", "{\"v\":1}");
        kafka.produce(topic, "huge-bad", "{\"n\":1e200,\"s\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}");

        assertThat(awaitTaskFailed()).contains("record " + topic + "/0/1").contains("outside DynamoDB's number range")
                .contains("cannot go to the dead letter queue either").contains("producer.override.max.request.size")
                .contains("Set offload.s3.bucket");
        assertThat(getItem(topic, pk("fine"))).isNotNull();
    }

    private static String envelope(String schema, String payload) {
        return "{\"schema\":" + schema + ",\"payload\":" + payload + "}";
    }

    private void assertNoContentInDeadLetters() {
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.consume(dlq, 1, java.time.Duration.ofSeconds(10));
        assertThat(dead).isNotEmpty();
        for (ConsumerRecord<byte[], byte[]> record : kafka.consume(dlq, Integer.MAX_VALUE, java.time.Duration.ofSeconds(3))) {
            for (Header header : record.headers()) {
                assertThat(new String(header.value(), StandardCharsets.UTF_8)).as(header.key()).doesNotContain(MARKER);
            }
        }
    }
}
