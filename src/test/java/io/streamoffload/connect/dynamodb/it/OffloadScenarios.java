package io.streamoffload.connect.dynamodb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamoffload.connect.dynamodb.mapping.DynamoDbLimits;
import io.streamoffload.connect.dynamodb.mapping.ItemSize;
import io.streamoffload.connect.dynamodb.offload.Pointer;
import io.streamoffload.connect.dynamodb.offload.codec.Codec;
import io.streamoffload.connect.dynamodb.read.HydratedItem;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import io.streamoffload.connect.dynamodb.testutil.ReversedTextFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Offload scenarios through a real Connect worker: large fields become content-addressed S3 objects, items stay
 * under 400 KB, and every pointer reads back to exactly the bytes that were produced.
 */
public abstract class OffloadScenarios extends ConnectorTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    protected S3Client s3;
    protected OffloadedItemReader reader;

    @BeforeEach
    void setUpS3() {
        s3 = stack().newS3Client();
        reader = new OffloadedItemReader(s3).register(new ReversedTextFormat());
    }

    @AfterEach
    void tearDownS3() {
        reader.close();
        s3.close();
    }

    protected String newBucket() {
        String bucket = unique("bucket").toLowerCase();
        s3.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    protected Map<String, String> offloadConfig(String topic, String bucket) {
        Map<String, String> config = baseConfig(topic);
        config.put("offload.s3.bucket", bucket);
        config.put("s3.path.style.access", "true");
        return config;
    }

    protected List<S3Object> objects(String bucket) {
        List<S3Object> all = new ArrayList<>();
        s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().forEach(all::add);
        return all;
    }

    /** HTML-like text of about {@code bytes} bytes: compressible, and different per seed. */
    static String html(long seed, int bytes) {
        Random random = new Random(seed);
        String[] words = {"kafka", "dynamo", "offload", "pointer", "stream", "crawler", "page", "é", "ü", "日本"};
        StringBuilder out = new StringBuilder(bytes + 100).append("<html><body>");
        while (out.length() < bytes) {
            out.append("<p class=\"c").append(random.nextInt(50)).append("\">");
            for (int i = 0; i < 12; i++) {
                out.append(words[random.nextInt(words.length)]).append(' ');
            }
            out.append(random.nextLong()).append("</p>\n");
        }
        return out.append("</body></html>").toString();
    }

    static byte[] binary(long seed, int bytes) {
        byte[] data = new byte[bytes];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** A bucket that does not exist stops the connector at its start, not at the first record large enough. */
    @Test
    void anOffloadBucketThatDoesNotExistFailsTheConnectorAtStart() {
        String topic = unique("no-bucket");
        kafka.createTopic(topic, 1);
        String bucket = unique("missing").toLowerCase();
        connectorName = unique("no-bucket");
        connect.putConnector(connectorName, offloadConfig(topic, bucket));

        JsonNode status = await().atMost(TIMEOUT).until(() -> connect.status(connectorName),
                s -> s != null && "FAILED".equals(s.path("connector").path("state").asText()));
        assertThat(status.path("connector").path("trace").asText())
                .contains("offload.s3.bucket " + bucket + " does not exist").contains("NoSuchBucket");
        assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().equals(bucket));
    }

    @Test
    void crawledPagesWithMegabyteBodiesBecomeSmallItemsThatHydrateToTheExactBytes() throws Exception {
        String topic = unique("pages");
        String bucket = newBucket();
        kafka.createTopic(topic, 1);
        Map<String, String> config = offloadConfig(topic, bucket);
        config.put("value.converter.schemas.enable", "true");
        config.put("offload.fields", "content:binary");
        startConnector(unique("pages"), config);

        int[] htmlSizes = {300 * 1024, 800 * 1024, 1536 * 1024, 3 * 1024 * 1024, 5 * 1024 * 1024};
        int[] contentSizes = {20 * 1024, 500 * 1024, 100 * 1024, 1024 * 1024, 10};
        String schema = "{\"type\":\"struct\",\"fields\":[{\"field\":\"url\",\"type\":\"string\"},"
                + "{\"field\":\"status\",\"type\":\"int32\"},{\"field\":\"html\",\"type\":\"string\"},"
                + "{\"field\":\"content\",\"type\":\"bytes\"}]}";
        for (int i = 0; i < htmlSizes.length; i++) {
            String payload = "{\"url\":\"https://example.com/" + i + "\",\"status\":200,\"html\":"
                    + JSON.writeValueAsString(html(i, htmlSizes[i])) + ",\"content\":\""
                    + Base64.getEncoder().encodeToString(binary(i, contentSizes[i])) + "\"}";
            kafka.produce(topic, "https://example.com/" + i, "{\"schema\":" + schema + ",\"payload\":" + payload + "}");
        }

        for (int i = 0; i < htmlSizes.length; i++) {
            Map<String, AttributeValue> item = awaitItem(topic, pk("https://example.com/" + i));
            assertThat(ItemSize.of(item)).isLessThan(DynamoDbLimits.MAX_ITEM_BYTES);
            assertThat(item.get("status").n()).isEqualTo("200");
            HydratedItem page = reader.hydrate(item);
            assertThat(page.offloaded()).containsOnlyKeys("html", "content");
            assertThat(page.text("html")).isEqualTo(html(i, htmlSizes[i]));
            assertThat(page.bytes("content")).isEqualTo(binary(i, contentSizes[i]));
            Pointer html = Pointer.fromAttribute(item.get("html")).orElseThrow();
            assertThat(html.format()).isEqualTo("text");
            assertThat(html.codec()).isEqualTo(Codec.ZSTD);
            assertThat(html.size()).isEqualTo(html(i, htmlSizes[i]).getBytes(StandardCharsets.UTF_8).length);
        }
        assertThat(objects(bucket)).hasSize(10);
    }

    @Test
    void repeatedContentIsStoredOnceAndJsonKeyOrderDoesNotMatter() {
        String topic = unique("dedupe");
        String bucket = newBucket();
        kafka.createTopic(topic, 1);
        Map<String, String> config = offloadConfig(topic, bucket);
        config.put("offload.fields", "body,doc:json");
        startConnector(unique("dedupe"), config);

        String body = html(7, 150 * 1024);
        for (int i = 0; i < 100; i++) {
            String doc = i % 2 == 0 ? "{\"a\":1,\"b\":{\"x\":[1,2],\"y\":\"z\"}}" : "{\"b\":{\"y\":\"z\",\"x\":[1,2]},\"a\":1}";
            kafka.produceAsync(topic, "r" + i, "{\"body\":" + quote(body) + ",\"doc\":" + doc + "}");
        }
        kafka.flush();
        await().atMost(TIMEOUT).until(() -> dynamo.scan(r -> r.tableName(topic)).count() == 100);

        assertThat(objects(bucket)).as("one object for the body, one for the doc").hasSize(2);
        Map<String, AttributeValue> first = getItem(topic, pk("r0"));
        Map<String, AttributeValue> second = getItem(topic, pk("r1"));
        assertThat(first.get("doc")).isEqualTo(second.get("doc"));
        assertThat(reader.hydrate(second).json("doc").toString()).isEqualTo("{\"a\":1,\"b\":{\"x\":[1,2],\"y\":\"z\"}}");
    }

    @Test
    void namedThresholdAndFitRulesAndARecordThatCannotFitGoesToTheDeadLetterQueue() throws Exception {
        String topic = unique("rules");
        String dlq = topic + "-dlq";
        String bucket = newBucket();
        kafka.createTopic(topic, 1);
        kafka.createTopic(dlq, 1);
        Map<String, String> config = offloadConfig(topic, bucket);
        config.put("offload.fields", "page.meta:json");
        config.put("offload.threshold.bytes", Integer.toString(120 * 1024));
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        startConnector(unique("rules"), config);

        kafka.produce(topic, "named", "{\"page\":{\"title\":\"t\",\"meta\":{\"lang\":\"fr\"}}}");
        kafka.produce(topic, "threshold", "{\"big\":" + quote("b".repeat(130 * 1024)) + ",\"small\":\"s\"}");
        StringBuilder fit = new StringBuilder("{");
        for (int i = 0; i < 5; i++) {
            fit.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":").append(quote(html(i, 90 * 1024 + i * 1000)));
        }
        kafka.produce(topic, "fit", fit.append("}").toString());
        StringBuilder tooMany = new StringBuilder("{");
        for (int i = 0; i < 2000; i++) {
            tooMany.append(i == 0 ? "" : ",").append("\"field").append(i).append("\":\"").append("v".repeat(240)).append('"');
        }
        kafka.produce(topic, "cannot-fit", tooMany.append("}").toString());
        kafka.produce(topic, "after", "{\"ok\":true}");

        Map<String, AttributeValue> named = awaitItem(topic, pk("named"));
        assertThat(named.get("page").m().get("title").s()).isEqualTo("t");
        assertThat(reader.hydrate(named).json("page.meta").get("lang").asText()).isEqualTo("fr");

        Map<String, AttributeValue> threshold = awaitItem(topic, pk("threshold"));
        assertThat(Pointer.fromAttribute(threshold.get("big"))).isPresent();
        assertThat(threshold.get("small").s()).isEqualTo("s");

        Map<String, AttributeValue> fitted = awaitItem(topic, pk("fit"));
        assertThat(ItemSize.of(fitted)).isLessThanOrEqualTo(DynamoDbLimits.MAX_ITEM_BYTES);
        assertThat(Pointer.fromAttribute(fitted.get("f4"))).as("the largest field went to S3").isPresent();
        assertThat(fitted.get("f0").s()).as("fields below the threshold stay when the item fits").isEqualTo(html(0, 90 * 1024));
        assertThat(reader.hydrate(fitted).text("f4")).isEqualTo(html(4, 90 * 1024 + 4000));

        awaitItem(topic, pk("after"));
        assertThat(getItem(topic, pk("cannot-fit"))).isNull();
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.consume(dlq, 1, TIMEOUT);
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).headers().lastHeader("__connect.errors.exception.message").value(),
                StandardCharsets.UTF_8))
                .contains("record " + topic + "/0/3")
                .contains("even with every large field offloaded")
                .contains("409600 bytes (400 KB)");
    }

    @Test
    void customSerializerClassWorksEndToEnd() throws Exception {
        String topic = unique("custom");
        String bucket = newBucket();
        kafka.createTopic(topic, 1);
        Map<String, String> config = offloadConfig(topic, bucket);
        config.put("offload.fields", "note:" + ReversedTextFormat.class.getName());
        config.put("offload.codec", "none");
        startConnector(unique("custom"), config);

        kafka.produce(topic, "k", "{\"note\":\"hello offload\"}");
        Map<String, AttributeValue> item = awaitItem(topic, pk("k"));
        Pointer pointer = Pointer.fromAttribute(item.get("note")).orElseThrow();
        assertThat(pointer.format()).isEqualTo("reversed-text");
        assertThat(pointer.key()).endsWith(".rtxt");
        assertThat(s3.getObjectAsBytes(g -> g.bucket(bucket).key(pointer.key())).asUtf8String()).isEqualTo("daolffo olleh");
        assertThat(reader.hydrate(item).get("note")).isEqualTo("hello offload");
    }

    @Test
    void compatibilityModeWritesPlainS3UrisToGzipObjectsPynamodbMateCanRead() throws Exception {
        String topic = unique("compat");
        String bucket = newBucket();
        kafka.createTopic(topic, 1);
        Map<String, String> config = offloadConfig(topic, bucket);
        config.put("value.converter.schemas.enable", "true");
        config.put("offload.fields", "html:text,data:binary,doc:json");
        config.put("offload.codec", "gzip");
        config.put("offload.pointer.format", "s3-uri");
        config.put("offload.key.template", "pynamodb_mate/s3backed/{fingerprint}.{ext}");
        startConnector(unique("compat"), config);

        String schema = "{\"type\":\"struct\",\"fields\":[{\"field\":\"html\",\"type\":\"string\"},"
                + "{\"field\":\"data\",\"type\":\"bytes\"},{\"field\":\"doc\",\"type\":\"map\",\"keys\":{\"type\":\"string\"},"
                + "\"values\":{\"type\":\"int32\"}}]}";
        byte[] data = binary(3, 4096);
        String text = html(3, 20_000);
        kafka.produce(topic, "page", "{\"schema\":" + schema + ",\"payload\":{\"html\":" + quote(text) + ",\"data\":\""
                + Base64.getEncoder().encodeToString(data) + "\",\"doc\":{\"b\":2,\"a\":1}}}");

        Map<String, AttributeValue> item = awaitItem(topic, pk("page"));
        for (String field : List.of("html", "data", "doc")) {
            assertThat(item.get(field).s()).startsWith("s3://" + bucket + "/pynamodb_mate/s3backed/");
        }
        assertThat(PynamodbMateReads.text(gzipObject(item.get("html").s()))).isEqualTo(text);
        assertThat(PynamodbMateReads.binary(gzipObject(item.get("data").s()))).isEqualTo(data);
        JsonNode doc = JSON.readTree(PynamodbMateReads.text(gzipObject(item.get("doc").s())));
        assertThat(doc).isEqualTo(JSON.readTree("{\"a\":1,\"b\":2}"));
        assertThat(reader.readUri(item.get("html").s())).isEqualTo(text);
    }

    private byte[] gzipObject(String uri) {
        String[] location = Pointer.splitUri(uri);
        return s3.getObjectAsBytes(g -> g.bucket(location[0]).key(location[1])).asByteArray();
    }

    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
