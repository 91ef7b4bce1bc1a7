package io.streamoffload.connect.dynamodb.offload.codec;

import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Compressors shared by a pool of upload threads: each call borrows an idle one (or makes one), so there are never more
 * than the threads compressing at once, and {@link #close} frees the native memory they hold.
 */
public final class CompressorPool implements AutoCloseable {
    private final Map<Codec, Deque<Codec.Compressor>> idle = new EnumMap<>(Codec.class);
    private volatile boolean closed;

    public CompressorPool() {
        for (Codec codec : Codec.values()) {
            idle.put(codec, new ConcurrentLinkedDeque<>());
        }
    }

    public byte[] compress(Codec codec, byte[] data) {
        Deque<Codec.Compressor> free = idle.get(codec);
        Codec.Compressor compressor = free.pollFirst();
        if (compressor == null) {
            compressor = codec.newCompressor();
        }
        try {
            return compressor.compress(data);
        } finally {
            free.addFirst(compressor);
            // close() may have drained the pool while this call was compressing: whoever removes it frees it
            if (closed && free.remove(compressor)) {
                compressor.close();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Deque<Codec.Compressor> free : idle.values()) {
            for (Codec.Compressor compressor = free.pollFirst(); compressor != null; compressor = free.pollFirst()) {
                compressor.close();
            }
        }
    }
}
