package io.streamoffload.connect.dynamodb.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamoffload.connect.dynamodb.offload.codec.Codec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CodecAndKeyTemplateTest {
    private static final byte[] TEXT = "<html>".repeat(10_000).getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @EnumSource(Codec.class)
    void everyCodecRoundTrips(Codec codec) {
        byte[] stored = codec.compress(TEXT);
        assertThat(codec.decompress(stored, TEXT.length)).isEqualTo(TEXT);
        if (codec != Codec.NONE) {
            assertThat(stored.length).isLessThan(TEXT.length / 10);
        }
    }

    @Test
    void gzipIsPlainRfc1952() throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Codec.GZIP.compress(TEXT)))) {
            assertThat(in.readAllBytes()).isEqualTo(TEXT);
        }
    }

    @Test
    void templatesExpandAllPlaceholders() {
        ObjectKeyTemplate template = ObjectKeyTemplate.parse("{topic}/{field}/{fingerprint:2}/{fingerprint}.{ext}", 64);
        assertThat(template.expand("abcdef", "pages", "html", "txt.zst")).isEqualTo("pages/html/ab/abcdef.txt.zst");
    }

    @Test
    void templatesAreCheckedAtConfigTime() {
        assertThatThrownBy(() -> ObjectKeyTemplate.parse("data/{topic}.bin", 64)).hasMessageContaining("{fingerprint}");
        assertThatThrownBy(() -> ObjectKeyTemplate.parse("/data/{fingerprint}", 64)).hasMessageContaining("start with '/'");
        assertThatThrownBy(() -> ObjectKeyTemplate.parse("a/../{fingerprint}", 64)).hasMessageContaining("'..'");
        assertThatThrownBy(() -> ObjectKeyTemplate.parse("a//{fingerprint}", 64)).hasMessageContaining("empty segments");
        assertThatThrownBy(() -> ObjectKeyTemplate.parse("a\t{fingerprint}", 64)).hasMessageContaining("control characters");
        assertThatThrownBy(() -> ObjectKeyTemplate.parse("{bucket}/{fingerprint}", 64)).hasMessageContaining("unknown placeholder {bucket}");
        assertThatThrownBy(() -> ObjectKeyTemplate.parse("x".repeat(800) + "/{topic}/{fingerprint}", 64))
                .hasMessageContaining("over S3's 1024-byte key limit");
    }

    @Test
    void fieldNamesCannotInjectPathSegments() {
        assertThat(Offloader.safeSegment("../../etc/passwd")).doesNotContain("..").doesNotContain("/");
        assertThat(Offloader.safeSegment("page.html")).isEqualTo("page.html");
    }
}
