package io.streamoffload.connect.dynamodb.offload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FingerprintTest {
    private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

    @Test
    void sha256MatchesTheStandardCheckValue() {
        assertThat(Fingerprint.hex(CHECK)).isEqualTo("15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225");
        assertThat(Fingerprint.base64FromHex(Fingerprint.hex(CHECK))).isEqualTo(Fingerprint.base64(CHECK));
    }

    @Test
    void crc32cIsTheBigEndianCheckValueInBase64() {
        // CRC-32C of "123456789" is 0xE3069283 (RFC 3720, appendix B.4)
        assertThat(Fingerprint.crc32cBase64(CHECK)).isEqualTo("4waSgw==");
        assertThat(Fingerprint.crc32cBase64(new byte[0])).isEqualTo("AAAAAA==");
    }
}
