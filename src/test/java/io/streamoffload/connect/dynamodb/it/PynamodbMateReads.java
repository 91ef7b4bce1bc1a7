package io.streamoffload.connect.dynamodb.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Reads objects the way pynamodb_mate's S3-backed attributes do ({@code gzip.decompress(body)}, then
 * {@code .decode("utf-8")} for text and {@code json.loads} for JSON): with Python itself when python3 is on the
 * machine, so the check is made by the same standard library pynamodb_mate uses, else with java.util.zip.
 */
final class PynamodbMateReads {
    private PynamodbMateReads() {
    }

    static String text(byte[] object) {
        return new String(binary(object), StandardCharsets.UTF_8);
    }

    static byte[] binary(byte[] object) {
        return python(object).orElseGet(() -> gunzip(object));
    }

    private static java.util.Optional<byte[]> python(byte[] object) {
        try {
            Path in = Files.createTempFile("pynamodb-mate", ".gz");
            Path out = Files.createTempFile("pynamodb-mate", ".raw");
            try {
                Files.write(in, object);
                Process process = new ProcessBuilder("python3", "-c",
                        "import gzip,sys; open(sys.argv[2],'wb').write(gzip.decompress(open(sys.argv[1],'rb').read()))",
                        in.toString(), out.toString()).redirectErrorStream(true).start();
                if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException("python3 gzip.decompress failed: "
                            + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
                return java.util.Optional.of(Files.readAllBytes(out));
            } finally {
                Files.deleteIfExists(in);
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return java.util.Optional.empty(); // no python3 here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gunzip(byte[] object) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(object))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
