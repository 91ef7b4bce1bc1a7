package io.streamoffload.connect.dynamodb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamoffload.connect.dynamodb.mapping.TemporalFormat;
import io.streamoffload.connect.dynamodb.offload.codec.Codec;
import org.junit.jupiter.api.Test;

class ConfigChoiceTest {
    @Test
    void valuesAreSpelledAsInTheConfigAndReadIgnoringCaseAndBlanks() {
        assertThat(KeySource.configValues()).containsExactly("record.key", "record.value", "kafka.topic",
                "kafka.partition", "kafka.offset");
        assertThat(TemporalFormat.configValues()).containsExactly("iso8601", "epoch_millis");
        assertThat(KeySource.fromConfig(" Kafka.Offset ")).isEqualTo(KeySource.KAFKA_OFFSET);
        assertThat(CredentialsMode.fromConfig("PROFILE")).isEqualTo(CredentialsMode.PROFILE);
        assertThat(ConfigChoice.parse(WriteSettings.VersionSource.class, "record.value", "version source"))
                .isEqualTo(WriteSettings.VersionSource.RECORD_VALUE);
    }

    @Test
    void anUnknownValueIsRefusedNamingWhatItIsAndEveryAcceptedOne() {
        assertThatThrownBy(() -> Codec.fromConfig("lz4")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown codec 'lz4' (one of zstd, gzip, none)");
        assertThatThrownBy(() -> CredentialsMode.fromConfig("instance"))
                .hasMessage("unknown credentials mode 'instance' (one of default, static, profile)");
    }
}
