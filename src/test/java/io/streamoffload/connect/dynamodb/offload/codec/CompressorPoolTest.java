package io.streamoffload.connect.dynamodb.offload.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CompressorPoolTest {
    private static byte[] page(int thread, int i) {
        return ("<p>thread " + thread + " page " + i + "</p>").repeat(200 + i).getBytes(StandardCharsets.UTF_8);
    }

    /** A reused zstd context must not carry anything from one object into the next, whichever thread uses it. */
    @ParameterizedTest
    @EnumSource(Codec.class)
    void compressorsSharedByThreadsProduceWhatTheCodecReadsBack(Codec codec) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try (CompressorPool pool = new CompressorPool()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        byte[] page = page(thread, i);
                        byte[] stored = pool.compress(codec, page);
                        assertThat(codec.decompress(stored, page.length)).isEqualTo(page);
                        assertThat(stored).isEqualTo(codec.compress(page));
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void aClosedPoolStillCompressesWithoutKeepingAnything(Codec codec) {
        CompressorPool pool = new CompressorPool();
        pool.compress(codec, page(0, 0));
        pool.close();
        byte[] page = page(1, 1);
        assertThat(codec.decompress(pool.compress(codec, page), page.length)).isEqualTo(page);
    }
}
