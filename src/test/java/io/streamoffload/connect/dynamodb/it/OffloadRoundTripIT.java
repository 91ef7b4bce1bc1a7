package io.streamoffload.connect.dynamodb.it;

import static io.streamoffload.connect.dynamodb.testutil.ConfigBuilder.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamoffload.connect.dynamodb.DynamoDbSinkConfig;
import io.streamoffload.connect.dynamodb.it.stack.InJvmStackExtension;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.mapping.RecordMapper;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.offload.Fingerprint;
import io.streamoffload.connect.dynamodb.offload.Offloader;
import io.streamoffload.connect.dynamodb.offload.Pointer;
import io.streamoffload.connect.dynamodb.offload.codec.Codec;
import io.streamoffload.connect.dynamodb.offload.store.S3ObjectStore;
import io.streamoffload.connect.dynamodb.read.HydratedItem;
import io.streamoffload.connect.dynamodb.read.OffloadIntegrityException;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import io.streamoffload.connect.dynamodb.retry.Backoff;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import io.streamoffload.connect.dynamodb.retry.Sleeper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Every format with every codec, stored in a real S3 server (s3proxy) and read back verified. */
@ExtendWith(InJvmStackExtension.class)
class OffloadRoundTripIT {
    private static final Schema INNER = SchemaBuilder.struct().name("com.acme.Inner").field("n", Schema.INT32_SCHEMA).build();
    private static final Schema SCHEMA = SchemaBuilder.struct().name("com.acme.Page")
            .field("text", Schema.STRING_SCHEMA)
            .field("blob", Schema.BYTES_SCHEMA)
            .field("doc", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.FLOAT64_SCHEMA).build())
            .field("record", SchemaBuilder.struct().name("com.acme.Record")
                    .field("price", Decimal.schema(2)).field("seen", Timestamp.SCHEMA)
                    .field("inner", INNER).field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build()).build())
            .build();

    private final SinkTestStack stack;

    OffloadRoundTripIT(SinkTestStack stack) {
        this.stack = stack;
    }

    private WriteOperation offload(S3Client s3, String bucket, Codec codec, SinkRecord record) throws Exception {
        DynamoDbSinkConfig config = config().with("offload.s3.bucket", bucket).with("offload.codec", codec.configValue())
                .with("offload.fields", "text:text,blob:binary,doc:json,record:avro").build();
        SinkTaskMetrics metrics = new SinkTaskMetrics();
        try (S3ObjectStore store = new S3ObjectStore(s3, config.offload().orElseThrow(),
                new RetryPolicy(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)), Duration.ofSeconds(30),
                        Clock.systemUTC(), Sleeper.THREAD), metrics)) {
            RecordMapper mapper = new RecordMapper(config, Clock.systemUTC(),
                    Optional.of(new Offloader(config.offload().get(), store, metrics)));
            WriteOperation op = mapper.map(record).orElseThrow();
            op.stored().get();
            return op;
        }
    }

    private static SinkRecord page() {
        Struct record = new Struct(SCHEMA.field("record").schema())
                .put("price", new BigDecimal("1234.50")).put("seen", new Date(1_700_000_000_000L))
                .put("inner", new Struct(INNER).put("n", 42)).put("tags", List.of("x", "y"));
        Struct value = new Struct(SCHEMA).put("text", "héllo wörld ".repeat(1000)).put("blob", new byte[] {0, 1, 2, (byte) 255})
                .put("doc", Map.of("b", 2.5, "a", 1.0)).put("record", record);
        return new SinkRecord("pages", 0, Schema.STRING_SCHEMA, "page-1", SCHEMA, value, 0);
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void everyFormatRoundTripsWithEveryCodec(Codec codec) throws Exception {
        try (S3Client s3 = stack.newS3Client(); OffloadedItemReader reader = new OffloadedItemReader(s3)) {
            String bucket = ("roundtrip-" + codec.configValue() + "-" + System.nanoTime() % 100_000).toLowerCase();
            s3.createBucket(b -> b.bucket(bucket));
            WriteOperation op = offload(s3, bucket, codec, page());

            HydratedItem item = reader.hydrate(op.item());
            assertThat(item.text("text")).isEqualTo("héllo wörld ".repeat(1000));
            assertThat(item.bytes("blob")).containsExactly(0, 1, 2, 255);
            assertThat(item.json("doc").toString()).isEqualTo("{\"a\":1,\"b\":2.5}");
            GenericRecord record = item.avro("record");
            assertThat(((GenericRecord) record.get("inner")).get("n")).isEqualTo(42);
            assertThat(record.get("seen")).isEqualTo(1_700_000_000_000L);
            assertThat(record.getSchema().getField("price").schema().getLogicalType().getName()).isEqualTo("decimal");
            for (Pointer pointer : OffloadedItemReader.pointers(op.item())) {
                assertThat(pointer.codec()).isEqualTo(codec);
                var head = s3.headObject(h -> h.bucket(bucket).key(pointer.key()));
                assertThat(head.metadata()).containsEntry("content-sha256", pointer.sha256())
                        .containsEntry("codec", codec.configValue()).containsEntry("source-topic", "pages");
                assertThat(pointer.key()).endsWith(codec.suffix());
            }
        }
    }

    /** The round trips above pass only if the CRC32C the store sends is right, because the server checks it. */
    @Test
    void theServerRejectsAnUploadWhoseBytesDoNotMatchItsCrc32c() {
        try (S3Client s3 = stack.newS3Client()) {
            String bucket = "crc-" + System.nanoTime() % 100_000;
            s3.createBucket(b -> b.bucket(bucket));
            byte[] bytes = "compressed bytes".getBytes(StandardCharsets.UTF_8);
            s3.putObject(p -> p.bucket(bucket).key("right").checksumCRC32C(Fingerprint.crc32cBase64(bytes)),
                    RequestBody.fromBytes(bytes));
            assertThatThrownBy(() -> s3.putObject(p -> p.bucket(bucket).key("wrong")
                            .checksumCRC32C(Fingerprint.crc32cBase64("other bytes".getBytes(StandardCharsets.UTF_8))),
                    RequestBody.fromBytes(bytes)))
                    .isInstanceOf(S3Exception.class);
            assertThat(s3.listObjectsV2(l -> l.bucket(bucket)).contents()).extracting(o -> o.key()).containsExactly("right");
        }
    }

    @Test
    void anObjectAlteredAfterWritingFailsTheChecksum() throws Exception {
        try (S3Client s3 = stack.newS3Client(); OffloadedItemReader reader = new OffloadedItemReader(s3)) {
            String bucket = "tampered-" + System.nanoTime() % 100_000;
            s3.createBucket(b -> b.bucket(bucket));
            WriteOperation op = offload(s3, bucket, Codec.GZIP, page());
            Pointer text = Pointer.fromAttribute(op.item().get("text")).orElseThrow();
            byte[] forged = Codec.GZIP.compress("héllo wörld ".repeat(999).concat("HÉLLO WÖRLD ").getBytes(StandardCharsets.UTF_8));
            s3.putObject(p -> p.bucket(bucket).key(text.key()), RequestBody.fromBytes(forged));

            assertThatThrownBy(() -> reader.hydrate(op.item()))
                    .isInstanceOf(OffloadIntegrityException.class)
                    .hasMessageContaining(text.uri())
                    .hasMessageContaining("failed its checksum");
        }
    }
}
