package io.streamoffload.connect.dynamodb.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamoffload.connect.dynamodb.offload.Fingerprint;
import io.streamoffload.connect.dynamodb.offload.Pointer;
import io.streamoffload.connect.dynamodb.offload.codec.Codec;
import io.streamoffload.connect.dynamodb.testutil.FakeS3;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class OffloadedItemReaderTest {
    private final FakeS3 s3 = new FakeS3();

    private Pointer store(String key, byte[] content, byte[] storedBytes) {
        s3.putObject(b -> b.bucket("b").key(key), RequestBody.fromBytes(storedBytes));
        return new Pointer("b", key, Fingerprint.hex(content), content.length, Codec.GZIP, "text");
    }

    @Test
    void alteredObjectFailsItsChecksum() {
        byte[] original = "original".getBytes(StandardCharsets.UTF_8);
        byte[] altered = "altered!".getBytes(StandardCharsets.UTF_8);
        Pointer pointer = store("k", original, Codec.GZIP.compress(altered));
        try (OffloadedItemReader reader = new OffloadedItemReader(s3)) {
            assertThatThrownBy(() -> reader.hydrate(Map.of("body", pointer.toMap())))
                    .isInstanceOf(OffloadIntegrityException.class)
                    .hasMessageContaining("s3://b/k failed its checksum")
                    .hasMessageContaining(Fingerprint.hex(original));
        }
    }

    @Test
    void sizeMismatchAndUndecompressableObjectsAreIntegrityErrors() {
        byte[] content = "abc".getBytes(StandardCharsets.UTF_8);
        Pointer wrongSize = new Pointer("b", "k1", Fingerprint.hex(content), 4, Codec.GZIP, "text");
        store("k1", content, Codec.GZIP.compress(content));
        Pointer garbage = store("k2", content, "not gzip".getBytes(StandardCharsets.UTF_8));
        try (OffloadedItemReader reader = new OffloadedItemReader(s3)) {
            assertThatThrownBy(() -> reader.read(wrongSize)).isInstanceOf(OffloadIntegrityException.class)
                    .hasMessageContaining("holds 3 bytes but the pointer says 4");
            assertThatThrownBy(() -> reader.read(garbage)).isInstanceOf(OffloadIntegrityException.class)
                    .hasMessageContaining("cannot be decompressed as gzip");
        }
    }

    @Test
    void anObjectLargerThanItsPointerSaysIsNotReadIntoMemoryWhole() {
        byte[] big = new byte[1_000_000];
        Pointer claimsSmall = new Pointer("b", "big", Fingerprint.hex(new byte[10]), 10, Codec.GZIP, "binary");
        store("big", big, Codec.GZIP.compress(big));
        Pointer zstdClaimsSmall = new Pointer("b", "bigz", Fingerprint.hex(new byte[10]), 10, Codec.ZSTD, "binary");
        store("bigz", big, Codec.ZSTD.compress(big));
        try (OffloadedItemReader reader = new OffloadedItemReader(s3)) {
            assertThatThrownBy(() -> reader.read(claimsSmall)).isInstanceOf(OffloadIntegrityException.class)
                    .hasMessageContaining("holds 11 bytes but the pointer says 10");
            assertThatThrownBy(() -> reader.read(zstdClaimsSmall)).isInstanceOf(OffloadIntegrityException.class)
                    .hasMessageContaining("cannot be decompressed");
        }
    }

    @Test
    void customFormatsMustBeRegistered() {
        byte[] content = "olleh".getBytes(StandardCharsets.UTF_8);
        s3.putObject(b -> b.bucket("b").key("c"), RequestBody.fromBytes(content));
        Pointer pointer = new Pointer("b", "c", Fingerprint.hex(content), content.length, Codec.NONE, "reversed-text");
        try (OffloadedItemReader reader = new OffloadedItemReader(s3)) {
            assertThatThrownBy(() -> reader.read(pointer)).hasMessageContaining("register its FieldSerializer");
            reader.register(new io.streamoffload.connect.dynamodb.testutil.ReversedTextFormat());
            assertThat(reader.hydrate(Map.of("t", pointer.toMap(), "plain", AttributeValue.fromS("x"))).offloaded())
                    .containsExactly(Map.entry("t", "hello"));
        }
    }
}
