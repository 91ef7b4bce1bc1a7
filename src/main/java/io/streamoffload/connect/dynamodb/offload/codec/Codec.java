package io.streamoffload.connect.dynamodb.offload.codec;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import io.streamoffload.connect.dynamodb.config.ConfigChoice;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** How offloaded bytes are compressed in S3. */
public enum Codec implements ConfigChoice {
    /** Zstandard, level 3: fast, and smaller than gzip on text. */
    ZSTD("zstd", ".zst", "zstd") {
        @Override
        public byte[] compress(byte[] data) {
            return Zstd.compress(data, 3);
        }

        @Override
        public Compressor newCompressor() {
            ZstdCompressCtx context = new ZstdCompressCtx().setLevel(3);
            return new Compressor() {
                @Override
                public byte[] compress(byte[] data) {
                    return context.compress(data);
                }

                @Override
                public void close() {
                    context.close();
                }
            };
        }

        @Override
        public byte[] decompress(byte[] data, long expectedSize) {
            checkSize(expectedSize);
            long frameSize = Zstd.getFrameContentSize(data);
            if (frameSize > expectedSize) {
                throw new IllegalArgumentException("zstd frame declares " + frameSize + " bytes, more than the expected "
                        + expectedSize);
            }
            // never allocate more than the pointer allows, whatever the object claims
            return Zstd.decompress(data, (int) expectedSize);
        }
    },
    /** gzip (RFC 1952), readable by pynamodb_mate and every gzip tool. */
    GZIP("gzip", ".gz", "gzip") {
        @Override
        public byte[] compress(byte[] data) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
            try (GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024)) {
                gzip.write(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }

        @Override
        public byte[] decompress(byte[] data, long expectedSize) {
            checkSize(expectedSize);
            try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(data), 64 * 1024)) {
                // one byte more than expected is enough to tell that the object is too large
                return gzip.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, expectedSize + 1));
            } catch (IOException e) {
                throw new IllegalArgumentException("not valid gzip data: " + e.getMessage(), e);
            }
        }
    },
    /** Stored as serialized. */
    NONE("none", "", null) {
        @Override
        public byte[] compress(byte[] data) {
            return data;
        }

        @Override
        public byte[] decompress(byte[] data, long expectedSize) {
            return data;
        }
    };

    private final String configValue;
    private final String suffix;
    private final String contentEncoding;

    Codec(String configValue, String suffix, String contentEncoding) {
        this.configValue = configValue;
        this.suffix = suffix;
        this.contentEncoding = contentEncoding;
    }

    public abstract byte[] compress(byte[] data);

    /**
     * A compressor to use many times from one thread at a time. Zstandard's keeps its context: a fresh one allocates
     * and zeroes its match tables on every call, which for megabyte fields costs a good part of the compression.
     */
    public Compressor newCompressor() {
        return new Compressor() {
            @Override
            public byte[] compress(byte[] data) {
                return Codec.this.compress(data);
            }

            @Override
            public void close() {
            }
        };
    }

    /** Holds native memory for some codecs until closed. */
    public interface Compressor extends AutoCloseable {
        byte[] compress(byte[] data);

        @Override
        void close();
    }

    private static void checkSize(long expectedSize) {
        if (expectedSize < 0 || expectedSize > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("cannot decompress " + expectedSize + " bytes in memory");
        }
    }

    /** @param expectedSize the uncompressed size recorded in the pointer */
    public abstract byte[] decompress(byte[] data, long expectedSize);

    @Override
    public String configValue() {
        return configValue;
    }

    /** Appended to the format's extension in {@code {ext}}, e.g. {@code .zst}. */
    public String suffix() {
        return suffix;
    }

    /** The HTTP Content-Encoding of stored objects, or null. */
    public String contentEncoding() {
        return contentEncoding;
    }

    public static Codec fromConfig(String value) {
        return ConfigChoice.parse(Codec.class, value, "codec");
    }

    public static String[] configValues() {
        return ConfigChoice.values(Codec.class);
    }
}
