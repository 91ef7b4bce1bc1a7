package io.streamoffload.connect.dynamodb.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamoffload.connect.dynamodb.DynamoDbSinkConfig;
import io.streamoffload.connect.dynamodb.it.stack.SinkTestStack;
import io.streamoffload.connect.dynamodb.it.stack.Tables;
import io.streamoffload.connect.dynamodb.mapping.RecordMapper;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.offload.Offloader;
import io.streamoffload.connect.dynamodb.offload.store.S3ObjectStore;
import io.streamoffload.connect.dynamodb.retry.Backoff;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import io.streamoffload.connect.dynamodb.retry.Sleeper;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Pages mapped by the connector's own mapper and offloader, written to a table of their own: a text, a binary, a JSON
 * and (with map pointers) an Avro field offloaded, and the connector config that wrote them, for the lifecycle tool.
 */
final class OffloadedPages {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema RECORD = SchemaBuilder.struct().name("com.acme.Meta")
            .field("price", Decimal.schema(2)).field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build()).build();
    static final Schema PAGE = SchemaBuilder.struct().name("com.acme.Page")
            .field("title", Schema.STRING_SCHEMA)
            .field("text", Schema.STRING_SCHEMA)
            .field("blob", Schema.BYTES_SCHEMA)
            .field("doc", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.FLOAT64_SCHEMA).build())
            .field("meta", RECORD)
            .build();

    private OffloadedPages() {
    }

    /** A table and bucket holding {@code pages} items mapped by the connector with the given pointer format and codec. */
    static Path write(SinkTestStack stack, Path dir, String table, String bucket, String pointerFormat, String codec,
                      int pages) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(stack.connectionConfig());
        settings.put("offload.s3.bucket", bucket);
        settings.put("offload.pointer.format", pointerFormat);
        settings.put("offload.codec", codec);
        settings.put("offload.fields", "text:text,blob:binary,doc:json"
                + (pointerFormat.equals("map") ? ",meta:avro" : ""));
        settings.put("table.name.format", "${topic}");
        Path file = dir.resolve(table + ".json");
        Files.writeString(file, JSON.writeValueAsString(Map.of("name", "pages-sink", "config", settings)));

        DynamoDbSinkConfig config = new DynamoDbSinkConfig(settings);
        try (S3Client s3 = stack.newS3Client(); DynamoDbClient dynamoDb = stack.newDynamoDbClient();
             S3ObjectStore store = new S3ObjectStore(s3, config.offload().orElseThrow(),
                     new RetryPolicy(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)), Duration.ofSeconds(30),
                             Clock.systemUTC(), Sleeper.THREAD), new SinkTaskMetrics())) {
            s3.createBucket(b -> b.bucket(bucket));
            Tables.createKeyedByString(dynamoDb, table, "pk");
            RecordMapper mapper = new RecordMapper(config, Clock.systemUTC(),
                    Optional.of(new Offloader(config.offload().get(), store, new SinkTaskMetrics())));
            for (int i = 0; i < pages; i++) {
                WriteOperation op = mapper.map(page(table, i)).orElseThrow();
                op.stored().get();
                dynamoDb.putItem(p -> p.tableName(table).item(op.item()));
            }
        }
        return file;
    }

    static SinkRecord page(String topic, int i) {
        Struct meta = new Struct(RECORD).put("price", new BigDecimal(i + ".50")).put("tags", List.of("a,b", "c\"d"));
        Struct value = new Struct(PAGE).put("title", "Page " + i + ", \"quoted\"\nsecond line")
                .put("text", "héllo wörld " + i + " ".repeat(i % 3))
                .put("blob", new byte[] {0, 1, (byte) i, (byte) 255})
                .put("doc", Map.of("n", (double) i, "half", 0.5))
                .put("meta", meta);
        return new SinkRecord(topic, 0, Schema.STRING_SCHEMA, "url-" + i, PAGE, value, i);
    }
}
