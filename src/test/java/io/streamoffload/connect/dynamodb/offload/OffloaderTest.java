package io.streamoffload.connect.dynamodb.offload;

import static io.streamoffload.connect.dynamodb.testutil.ConfigBuilder.config;
import static io.streamoffload.connect.dynamodb.testutil.Records.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamoffload.connect.dynamodb.DynamoDbSinkConfig;
import io.streamoffload.connect.dynamodb.mapping.DynamoDbLimits;
import io.streamoffload.connect.dynamodb.mapping.MappingException;
import io.streamoffload.connect.dynamodb.mapping.RecordMapper;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.offload.store.GcMarks;
import io.streamoffload.connect.dynamodb.offload.store.S3ObjectStore;
import io.streamoffload.connect.dynamodb.offload.store.UploadFailedException;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import io.streamoffload.connect.dynamodb.retry.Backoff;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import io.streamoffload.connect.dynamodb.retry.Sleeper;
import io.streamoffload.connect.dynamodb.testutil.ConfigBuilder;
import io.streamoffload.connect.dynamodb.testutil.FakeS3;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

class OffloaderTest {
    private final FakeS3 s3 = new FakeS3();
    private final SinkTaskMetrics metrics = new SinkTaskMetrics();
    private S3ObjectStore store;

    private RecordMapper mapper(ConfigBuilder builder) {
        return mapper(builder, d -> { });
    }

    private RecordMapper mapper(ConfigBuilder builder, io.streamoffload.connect.dynamodb.retry.Sleeper sleeper) {
        DynamoDbSinkConfig config = builder.with("offload.s3.bucket", "bucket").build();
        store = new S3ObjectStore(s3, config.offload().orElseThrow(),
                new RetryPolicy(new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), Duration.ofSeconds(5),
                        Clock.systemUTC(), sleeper), metrics);
        return new RecordMapper(config, Clock.systemUTC(), Optional.of(new Offloader(config.offload().get(), store, metrics)));
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private static WriteOperation stored(WriteOperation op) throws Exception {
        op.stored().get();
        return op;
    }

    /** Five lists of 25,000 -1.5: 375 KB by digit count alone, but 625 KB as DynamoDB stores negative decimals. */
    @Test
    void anItemOverTheLimitOnlyByHowDynamoDbStoresNumbersIsOffloadedUntilItFits() throws Exception {
        RecordMapper mapper = mapper(config());
        Map<String, Object> value = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            value.put("readings" + i, java.util.Collections.nCopies(25_000, new java.math.BigDecimal("-1.5")));
        }
        WriteOperation op = stored(mapper.map(record("tbl", 0, 0, "k", value)).orElseThrow());

        assertThat(metrics.get("FieldsOffloaded").longValue()).isPositive();
        assertThat(op.bytes()).isLessThanOrEqualTo(DynamoDbLimits.MAX_ITEM_BYTES);
        try (OffloadedItemReader reader = new OffloadedItemReader(s3)) {
            assertThat(reader.hydrate(op.item()).json("readings0")).hasSize(25_000);
        }
    }

    @Test
    void namedFieldsAreAlwaysOffloadedIncludingNestedOnes() throws Exception {
        RecordMapper mapper = mapper(config().with("offload.fields", "small:text,page.meta:json"));
        Map<String, Object> value = new HashMap<>();
        value.put("small", "tiny");
        value.put("page", Map.of("meta", Map.of("b", 2, "a", 1), "title", "t"));
        WriteOperation op = stored(mapper.map(record("tbl", 0, 0, "k", value)).orElseThrow());

        Pointer small = Pointer.fromAttribute(op.item().get("small")).orElseThrow();
        assertThat(small.format()).isEqualTo("text");
        assertThat(small.size()).isEqualTo(4);
        assertThat(small.codec().configValue()).isEqualTo("zstd");
        assertThat(small.uri()).startsWith("s3://bucket/offload/" + small.sha256().substring(0, 2) + "/" + small.sha256())
                .endsWith(".txt.zst");
        Pointer meta = Pointer.fromAttribute(op.item().get("page").m().get("meta")).orElseThrow();
        assertThat(meta.format()).isEqualTo("json");
        assertThat(op.item().get("page").m().get("title").s()).isEqualTo("t");

        try (OffloadedItemReader reader = new OffloadedItemReader(s3)) {
            var hydrated = reader.hydrate(op.item());
            assertThat(hydrated.text("small")).isEqualTo("tiny");
            assertThat(hydrated.json("page.meta").toString()).isEqualTo("{\"a\":1,\"b\":2}");
        }
    }

    @Test
    void fieldsReachingTheThresholdAreOffloadedWithTheFormatOfTheirType() throws Exception {
        RecordMapper mapper = mapper(config().with("offload.threshold.bytes", 1000));
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("html", "x".repeat(2000));
        value.put("image", new byte[3000]);
        value.put("doc", Map.of("list", java.util.Collections.nCopies(500, 1)));
        value.put("short", "y".repeat(100));
        WriteOperation op = stored(mapper.map(record("tbl", 0, 0, "k", value)).orElseThrow());
        assertThat(Pointer.fromAttribute(op.item().get("html")).orElseThrow().format()).isEqualTo("text");
        assertThat(Pointer.fromAttribute(op.item().get("image")).orElseThrow().format()).isEqualTo("binary");
        assertThat(Pointer.fromAttribute(op.item().get("doc")).orElseThrow().format()).isEqualTo("json");
        assertThat(op.item().get("short").s()).hasSize(100);
        assertThat(op.item().get("pk").s()).as("keys stay").isEqualTo("k");
        assertThat(metrics.get("FieldsOffloaded").longValue()).isEqualTo(3);
    }

    @Test
    void largestFieldsAreOffloadedUntilTheItemFits() throws Exception {
        RecordMapper mapper = mapper(config().with("offload.threshold.bytes", 0));
        Map<String, Object> value = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            value.put("f" + i, Character.toString('a' + i).repeat(90_000 + i * 1000));
        }
        WriteOperation op = stored(mapper.map(record("tbl", 0, 0, "k", value)).orElseThrow());
        assertThat(op.bytes()).isLessThanOrEqualTo(DynamoDbLimits.MAX_ITEM_BYTES);
        // 5 fields of 90-94 KB = 460 KB: offloading the largest one (f4) is enough
        assertThat(Pointer.fromAttribute(op.item().get("f4"))).isPresent();
        assertThat(op.item().get("f0").s()).hasSize(90_000);
        assertThat(metrics.get("FieldsOffloaded").longValue()).isEqualTo(1);
    }

    @Test
    void anItemThatCannotFitEvenAfterOffloadingIsABadRecord() {
        RecordMapper mapper = mapper(config());
        Map<String, Object> value = new LinkedHashMap<>();
        for (int i = 0; i < 2000; i++) {
            value.put("field" + i, "v".repeat(240));
        }
        assertThatThrownBy(() -> mapper.map(record("tbl", 0, 0, "k", value)))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("even with every large field offloaded")
                .hasMessageContaining("409600 bytes (400 KB)");
    }

    @Test
    void equalContentIsUploadedOnce() throws Exception {
        RecordMapper mapper = mapper(config().with("offload.fields", "doc"));
        for (int i = 0; i < 20; i++) {
            Map<String, Object> doc = new LinkedHashMap<>();
            if (i % 2 == 0) {
                doc.put("a", 1);
                doc.put("b", "two");
            } else {
                doc.put("b", "two");
                doc.put("a", 1);
            }
            stored(mapper.map(record("tbl", 0, i, "k" + i, Map.of("doc", doc))).orElseThrow());
        }
        assertThat(s3.objects).hasSize(1);
        assertThat(s3.puts.get()).isEqualTo(1);
        assertThat(metrics.get("ObjectsDeduplicated").longValue()).isEqualTo(19);
    }

    /** The connector's half of the garbage-collection protocol (README, "Garbage collection"). */
    @Test
    void reusingAMarkedObjectRemovesTheMarkAndWaitsBeforeNamingIt() throws Exception {
        List<Duration> sleeps = new java.util.concurrent.CopyOnWriteArrayList<>();
        RecordMapper mapper = mapper(config().with("offload.fields", "html").with("offload.dedupe.ttl.ms", 0)
                .with("offload.gc.mark.wait.ms", 1234), sleeps::add);
        stored(mapper.map(record("pages", 0, 1, "url-1", Map.of("html", "<p>same</p>"))).orElseThrow());
        String objectKey = s3.objects.keySet().iterator().next();
        String mark = "bucket/" + GcMarks.markKey(objectKey.substring("bucket/".length()));
        s3.objects.put(mark, new FakeS3.StoredObject(new byte[0], PutObjectRequest.builder().build()));

        stored(mapper.map(record("pages", 0, 2, "url-2", Map.of("html", "<p>same</p>"))).orElseThrow());

        assertThat(s3.objects).containsKey(objectKey).doesNotContainKey(mark);
        assertThat(sleeps).containsExactly(Duration.ofMillis(1234));
        assertThat(metrics.get("GcMarksCleared").longValue()).isEqualTo(1);
        assertThat(metrics.get("ObjectsDeduplicated").longValue()).isEqualTo(1);
    }

    @Test
    void anObjectACollectorDeletedWhileTheMarkWasClearedIsStoredAgain() throws Exception {
        Map<String, FakeS3.StoredObject> objects = s3.objects;
        RecordMapper mapper = mapper(config().with("offload.fields", "html").with("offload.dedupe.ttl.ms", 0),
                wait -> objects.keySet().removeIf(key -> !key.contains(GcMarks.PREFIX))); // the sweep lands now
        stored(mapper.map(record("pages", 0, 1, "url-1", Map.of("html", "<p>same</p>"))).orElseThrow());
        String objectKey = s3.objects.keySet().iterator().next();
        s3.objects.put("bucket/" + GcMarks.markKey(objectKey.substring("bucket/".length())),
                new FakeS3.StoredObject(new byte[0], PutObjectRequest.builder().build()));

        stored(mapper.map(record("pages", 0, 2, "url-2", Map.of("html", "<p>same</p>"))).orElseThrow());

        assertThat(s3.objects).containsOnlyKeys(objectKey);
        assertThat(metrics.get("ObjectsUploaded").longValue()).isEqualTo(2);
    }

    @Test
    void uncompressedObjectsCarryTheChecksumOfTheirContentHashedOnce() throws Exception {
        RecordMapper mapper = mapper(config().with("offload.fields", "html").with("offload.codec", "none"));
        stored(mapper.map(record("pages", 0, 1, "url-1", Map.of("html", "<p>plain</p>"))).orElseThrow());
        FakeS3.StoredObject object = s3.objects.values().iterator().next();
        assertThat(object.bytes()).isEqualTo("<p>plain</p>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(object.request().checksumSHA256()).isEqualTo(Fingerprint.base64(object.bytes()));
        assertThat(object.request().metadata()).containsEntry("content-sha256", Fingerprint.hex(object.bytes()));
    }

    @Test
    void objectsCarryChecksumMetadataAndEncoding() throws Exception {
        RecordMapper mapper = mapper(config().with("offload.fields", "html").with("offload.codec", "gzip"));
        stored(mapper.map(record("pages", 3, 42, "url-1", Map.of("html", "<p>hi</p>"))).orElseThrow());
        FakeS3.StoredObject object = s3.objects.values().iterator().next();
        assertThat(object.request().ifNoneMatch()).isEqualTo("*");
        assertThat(object.request().checksumSHA256()).isNull();
        assertThat(object.request().checksumCRC32C()).isEqualTo(Fingerprint.crc32cBase64(object.bytes()));
        assertThat(object.request().contentEncoding()).isEqualTo("gzip");
        assertThat(object.request().contentType()).startsWith("text/plain");
        assertThat(object.request().metadata()).containsEntry("codec", "gzip").containsEntry("format", "text")
                .containsEntry("uncompressed-size", "9").containsEntry("source-topic", "pages")
                .containsEntry("source-partition", "3").containsEntry("source-offset", "42")
                .containsEntry("item-key", "pk%3Durl-1")
                .containsEntry("content-sha256", Fingerprint.hex("<p>hi</p>".getBytes()));
    }

    @Test
    void uriPointersAreBareS3Strings() throws Exception {
        RecordMapper mapper = mapper(config().with("offload.fields", "html").with("offload.codec", "gzip")
                .with("offload.pointer.format", "s3-uri"));
        WriteOperation op = stored(mapper.map(record("tbl", 0, 0, "k", Map.of("html", "<p>"))).orElseThrow());
        assertThat(op.item().get("html").s()).startsWith("s3://bucket/offload/").endsWith(".txt.gz");
        try (OffloadedItemReader reader = new OffloadedItemReader(s3)) {
            assertThat(reader.readUri(op.item().get("html").s())).isEqualTo("<p>");
        }
    }

    @Test
    void structFieldsKeepTheirSchemaForAvro() throws Exception {
        Schema inner = SchemaBuilder.struct().field("n", Schema.INT32_SCHEMA).build();
        Schema schema = SchemaBuilder.struct().field("data", inner).build();
        RecordMapper mapper = mapper(config().with("offload.fields", "data:avro"));
        SinkRecord record = new SinkRecord("tbl", 0, Schema.STRING_SCHEMA, "k", schema,
                new Struct(schema).put("data", new Struct(inner).put("n", 7)), 0);
        WriteOperation op = stored(mapper.map(record).orElseThrow());
        try (OffloadedItemReader reader = new OffloadedItemReader(s3)) {
            assertThat(reader.hydrate(op.item()).avro("data").get("n")).isEqualTo(7);
        }
    }

    @Test
    void aFieldThatDoesNotFitItsFormatIsABadRecordNamingTheField() {
        RecordMapper mapper = mapper(config().with("offload.fields", "count:text"));
        assertThatThrownBy(() -> mapper.map(record("tbl", 0, 0, "k", Map.of("count", 5))))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("field 'count' cannot be offloaded in format text");
    }

    @Test
    void transientS3FailuresAreRetriedAndFatalOnesAreNot() throws Exception {
        s3.thenFail(503, "SlowDown").thenFail(500, "InternalError").thenFail(409, "ConditionalRequestConflict");
        RecordMapper mapper = mapper(config().with("offload.fields", "html"));
        stored(mapper.map(record("tbl", 0, 0, "k", Map.of("html", "a"))).orElseThrow());
        assertThat(metrics.get("UploadsRetried").longValue()).isEqualTo(3);

        s3.thenFail(403, "AccessDenied");
        WriteOperation denied = mapper.map(record("tbl", 0, 1, "k", Map.of("html", "b"))).orElseThrow();
        assertThatThrownBy(() -> denied.stored().get())
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(UploadFailedException.class).hasMessageContaining("AccessDenied")
                .hasMessageNotContaining("SSE-KMS")
                .satisfies(e -> assertThat(((UploadFailedException) e).isFatal()).isTrue());
    }

    /** S3's refusals to encrypt with the SSE-KMS key say which setting chose the key, and are not retried. */
    @Test
    void refusalsOfTheSseKmsKeyNameTheSetting() {
        s3.thenFail(400, "KMS.NotFoundException", "Invalid keyId alias/wrong");
        RecordMapper withKey = mapper(config().with("offload.fields", "html").with("s3.sse", "aws:kms")
                .with("s3.sse.kms.key.id", "alias/wrong"));
        WriteOperation notFound = withKey.map(record("tbl", 0, 0, "k", Map.of("html", "a"))).orElseThrow();
        assertThatThrownBy(() -> notFound.stored().get()).cause().isInstanceOf(UploadFailedException.class)
                .hasMessageContaining("KMS.NotFoundException (HTTP 400): Invalid keyId alias/wrong")
                .hasMessageContaining("SSE-KMS key s3.sse.kms.key.id=alias/wrong")
                .satisfies(e -> assertThat(((UploadFailedException) e).isFatal()).isTrue());
        store.close();

        s3.thenFail(403, "AccessDenied", "User: arn:aws:sts::1:assumed-role/c/s is not authorized to perform: "
                + "kms:GenerateDataKey on resource: arn:aws:kms:us-east-1:1:key/k");
        RecordMapper awsManagedKey = mapper(config().with("offload.fields", "html").with("s3.sse", "aws:kms"));
        WriteOperation denied = awsManagedKey.map(record("tbl", 0, 1, "k", Map.of("html", "b"))).orElseThrow();
        assertThatThrownBy(() -> denied.stored().get()).cause().isInstanceOf(UploadFailedException.class)
                .hasMessageContaining("SSE-KMS key of s3.sse=aws:kms (no s3.sse.kms.key.id");
        assertThat(metrics.get("UploadsRetried").longValue()).isZero();
    }

    /**
     * Content waiting for uploads is bounded: with 1 MB allowed and the first upload held, mapping a second record of
     * 600 KB waits, and goes on as soon as the first upload ends.
     */
    @Test
    void mappingWaitsWhileUploadsHoldTheirAllowanceOfBytes() throws Exception {
        s3.putGate = new CountDownLatch(1);
        RecordMapper mapper = mapper(config().with("offload.fields", "html").with("offload.max.buffered.bytes", 1024 * 1024));
        WriteOperation first = mapper.map(record("tbl", 0, 0, "a", Map.of("html", "a".repeat(600_000)))).orElseThrow();
        org.awaitility.Awaitility.await().until(() -> s3.puts.get() == 1);
        assertThat(metrics.get("BytesHeldForUploads").longValue()).isEqualTo(600_000);

        CompletableFuture<WriteOperation> second = CompletableFuture.supplyAsync(() ->
                mapper.map(record("tbl", 0, 1, "b", Map.of("html", "b".repeat(600_000)))).orElseThrow());
        Thread mapping = org.awaitility.Awaitility.await().until(() -> Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getState() == Thread.State.WAITING && java.util.Arrays.stream(t.getStackTrace())
                        .anyMatch(f -> f.getMethodName().equals("store"))).findFirst().orElse(null), t -> t != null);
        assertThat(mapping).as("the second record waits for room").isNotNull();
        assertThat(second).isNotDone();
        assertThat(s3.puts.get()).isEqualTo(1);

        s3.putGate.countDown();
        stored(first);
        stored(second.get());
        assertThat(s3.objects).hasSize(2);
        org.awaitility.Awaitility.await().until(() -> metrics.get("BytesHeldForUploads").longValue() == 0);
    }

    @Test
    void aFailedUploadIsTriedAfreshByTheNextRecord() throws Exception {
        s3.thenFail(403, "AccessDenied");
        s3.putGate = new CountDownLatch(1);
        RecordMapper mapper = mapper(config().with("offload.fields", "html"));
        WriteOperation first = mapper.map(record("tbl", 0, 0, "k", Map.of("html", "same"))).orElseThrow();
        // registered while the upload is held, so it runs the moment the failure is published: the next record for
        // the same content must start a fresh upload rather than share the failed one
        CompletableFuture<WriteOperation> next = first.stored().handle((ok, failure) ->
                mapper.map(record("tbl", 0, 1, "k", Map.of("html", "same"))).orElseThrow());
        s3.putGate.countDown();

        assertThatThrownBy(() -> first.stored().get()).isInstanceOf(ExecutionException.class);
        stored(next.get());
        assertThat(s3.puts.get()).isEqualTo(2);
        assertThat(s3.objects).hasSize(1);
    }

    @Test
    void aFailedCheckOfAnObjectStoredByAnotherTaskIsRetried() throws Exception {
        RecordMapper otherTask = mapper(config().with("offload.fields", "html"));
        stored(otherTask.map(record("tbl", 0, 0, "k", Map.of("html", "shared"))).orElseThrow());
        store.close();
        RecordMapper thisTask = mapper(config().with("offload.fields", "html")); // its own, empty, cache

        s3.thenFailHead(503, "SlowDown");
        stored(thisTask.map(record("tbl", 0, 1, "k", Map.of("html", "shared"))).orElseThrow());
        assertThat(metrics.get("UploadsRetried").longValue()).isEqualTo(1);
        assertThat(s3.puts.get()).as("one PUT, then PUT (412) + failed HEAD, then PUT (412) + HEAD").isEqualTo(3);
        assertThat(s3.objects).hasSize(1);
    }

    /** A HEAD refused for a clock far off (403, like a missing permission) is retried, not taken as a refusal. */
    @Test
    void aHeadRefusedForClockSkewIsRetried() throws Exception {
        stored(mapper(config().with("offload.fields", "html")).map(record("tbl", 0, 0, "k", Map.of("html", "shared")))
                .orElseThrow());
        store.close();
        RecordMapper thisTask = mapper(config().with("offload.fields", "html"));
        s3.thenFailHead(403, "RequestTimeTooSkewed");
        stored(thisTask.map(record("tbl", 0, 1, "k", Map.of("html", "shared"))).orElseThrow());
        assertThat(metrics.get("UploadsRetried").longValue()).isEqualTo(1);
        assertThat(metrics.get("ObjectsDeduplicated").longValue()).isEqualTo(1);
    }

    @Test
    void anObjectStoredBeforeSseWasSetIsStoredAgainEncryptedWhenNamedAgain() throws Exception {
        stored(mapper(config().with("offload.fields", "html")).map(record("tbl", 0, 0, "k", Map.of("html", "shared")))
                .orElseThrow());
        store.close();
        String key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        ConfigBuilder encrypted = config().with("offload.fields", "html").with("s3.sse", "aws:kms")
                .with("s3.sse.kms.key.id", key);
        stored(mapper(encrypted).map(record("tbl", 0, 1, "k", Map.of("html", "shared"))).orElseThrow());
        assertThat(s3.objects).hasSize(1);
        assertThat(s3.objects.values().iterator().next().request().ssekmsKeyId()).isEqualTo(key);
        assertThat(s3.puts.get()).as("a PUT; then a PUT (412), a HEAD, a PUT over it").isEqualTo(3);
        assertThat(metrics.get("ObjectsDeduplicated").longValue()).isZero();
        store.close();

        stored(mapper(encrypted).map(record("tbl", 0, 2, "k", Map.of("html", "shared"))).orElseThrow());
        assertThat(s3.puts.get()).as("encrypted as configured now: a PUT (412) and a HEAD, no more").isEqualTo(4);
        assertThat(metrics.get("ObjectsDeduplicated").longValue()).isEqualTo(1);
    }

    @Test
    void theFitRuleEndsWithLongUriPointers() throws Exception {
        RecordMapper mapper = mapper(config().with("offload.codec", "gzip").with("offload.pointer.format", "s3-uri")
                .with("offload.threshold.bytes", 0).with("offload.key.template", "p".repeat(500) + "/{fingerprint}.{ext}"));
        Map<String, Object> value = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            value.put("f" + i, "x".repeat(100_000 + i));
        }
        WriteOperation op = stored(mapper.map(record("tbl", 0, 0, "k", value)).orElseThrow());
        assertThat(op.bytes()).isLessThanOrEqualTo(DynamoDbLimits.MAX_ITEM_BYTES);
        assertThat(op.item().get("f4").s()).startsWith("s3://bucket/ppp");
    }

    @Test
    void mapsThatOnlyLookLikePointersAreUserData() {
        assertThat(Pointer.fromAttribute(AttributeValue.fromM(Map.of("offload", AttributeValue.fromS("v1"),
                "uri", AttributeValue.fromS("not-a-uri"))))).isEmpty();
        assertThat(Pointer.fromAttribute(AttributeValue.fromM(Map.of("offload", AttributeValue.fromS("v1"))))).isEmpty();
    }

    @Test
    void jsonNumbersFromJsonStringsAreCanonicalToo() throws Exception {
        RecordMapper mapper = mapper(config().with("offload.fields", "doc:json"));
        WriteOperation a = stored(mapper.map(record("tbl", 0, 0, "a", "{\"doc\":{\"p\":1.50,\"q\":2}}")).orElseThrow());
        WriteOperation b = stored(mapper.map(record("tbl", 0, 1, "b", Map.of("doc", Map.of("q", 2.0, "p", 1.5)))).orElseThrow());
        assertThat(a.item().get("doc")).isEqualTo(b.item().get("doc"));
    }

    @Test
    void pointerMapsRoundTrip() {
        Pointer pointer = new Pointer("b", "k/x.json.zst", "ab".repeat(32), 10, io.streamoffload.connect.dynamodb.offload.codec.Codec.ZSTD, "json");
        AttributeValue map = pointer.toMap();
        assertThat(map.m().get("offload").s()).isEqualTo("v1");
        assertThat(Pointer.fromAttribute(map)).contains(pointer);
        assertThat(Pointer.fromAttribute(AttributeValue.fromM(Map.of("offload", AttributeValue.fromS("v9"))))).isEmpty();
    }

    @Test
    void aColumnAChangeEventCouldNotCarryIsNeitherOffloadedNorWrittenNamedOrLarge() throws Exception {
        String placeholder = "__debezium_unavailable_value";
        RecordMapper mapper = mapper(config().with("cdc.format", "debezium").with("key.partition.source", "record.value")
                .with("key.partition.field", "id").with("offload.fields", "body:text").with("offload.threshold.bytes", 10));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 1);
        row.put("body", placeholder);
        row.put("html", placeholder);
        row.put("summary", "a summary long enough to reach the threshold");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("op", "u");
        event.put("before", null);
        event.put("after", row);
        WriteOperation op = stored(mapper.map(record("tbl", 0, 0, null, event)).orElseThrow());
        assertThat(op.unavailable()).containsExactlyInAnyOrder("body", "html");
        assertThat(op.item()).doesNotContainKeys("body", "html").containsKey("summary");
        assertThat(Pointer.fromAttribute(op.item().get("summary"))).as("the carried large column is offloaded").isPresent();
        assertThat(s3.objects).as("only the summary is stored: nothing for the placeholder").hasSize(1);
    }
}
