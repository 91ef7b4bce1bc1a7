package io.streamoffload.connect.dynamodb.mapping;

import static io.streamoffload.connect.dynamodb.testutil.ConfigBuilder.config;
import static io.streamoffload.connect.dynamodb.testutil.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamoffload.connect.dynamodb.bench.Workload;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

/**
 * JSON record values read with StringConverter (the connector parses them) make the same items as with JsonConverter
 * (the worker parses them into a Connect map), for the documents JsonConverter reads exactly (its numbers are longs and
 * doubles; the string path keeps every digit): the cheaper configuration changes nothing in DynamoDB.
 */
class JsonStringPathTest {
    private final RecordMapper mapper = new RecordMapper(config().build(), Clock.systemUTC());

    @Test
    void itemsAreThoseOfTheJsonConverterPathForWhatItReadsExactly() {
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "false", "converter.type", "value"), false);
        for (int i = 0; i < 500; i++) {
            byte[] bytes = Workload.SMALL.value(i, 500);
            Object converted = json.toConnectData("tbl", bytes).value();
            assertThat(mapper.map(record("tbl", 0, i, "k", new String(bytes, StandardCharsets.UTF_8))).orElseThrow().item())
                    .isEqualTo(mapper.map(record("tbl", 0, i, "k", converted)).orElseThrow().item());
        }
    }
}
