package io.streamoffload.connect.dynamodb.offload.store;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import io.streamoffload.connect.dynamodb.metrics.SinkTaskMetrics;
import io.streamoffload.connect.dynamodb.offload.Fingerprint;
import io.streamoffload.connect.dynamodb.offload.OffloadSettings;
import io.streamoffload.connect.dynamodb.offload.codec.CompressorPool;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import io.streamoffload.connect.dynamodb.util.Pools;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Stores content-addressed objects in S3, each distinct key once: a bounded set of keys already stored, then a
 * conditional {@code PutObject} with {@code If-None-Match: *} (a 412 means it is already there) carrying
 * a checksum of the stored bytes so that S3 rejects a corrupted upload. Compression and uploads
 * run on a bounded pool; failures are retried with backoff within the retry budget. The content waiting for or in an
 * upload is bounded in bytes: {@link #store} waits for room, so a poll of large records never queues all of its
 * payloads at once.
 */
public final class S3ObjectStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(S3ObjectStore.class);

    private final S3Client s3;
    private final OffloadSettings settings;
    private final RetryPolicy retry;
    private final SinkTaskMetrics metrics;
    private final KnownObjects known;
    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    private final Semaphore bufferedBytes;
    private final CompressorPool compressors = new CompressorPool();
    private final int maxBufferedBytes;

    public S3ObjectStore(S3Client s3, OffloadSettings settings, RetryPolicy retry, SinkTaskMetrics metrics) {
        this.s3 = s3;
        this.settings = settings;
        this.retry = retry;
        this.metrics = metrics;
        this.known = new KnownObjects(settings.cacheEntries(), settings.dedupeTtl(), retry.clock());
        this.executor = Pools.fixed("s3-offload-upload", settings.maxConcurrentUploads());
        this.maxBufferedBytes = settings.maxBufferedBytes();
        this.bufferedBytes = new Semaphore(maxBufferedBytes);
        metrics.bufferedBytesGauge(() -> maxBufferedBytes - bufferedBytes.availablePermits());
    }

    /** Completes when the object is durable in S3; fails with {@link UploadFailedException}. */
    public CompletableFuture<Void> store(StoreRequest request) {
        if (known.contains(request.key())) {
            metrics.objectDeduplicated(request.content().length);
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        CompletableFuture<Void> existing = inFlight.putIfAbsent(request.key(), future);
        if (existing != null || known.contains(request.key())) {
            // the same content is on its way, or finished between the first check and putIfAbsent
            metrics.objectDeduplicated(request.content().length);
            if (existing != null) {
                return existing;
            }
            finish(request.key(), future, null);
            return future;
        }
        // a field larger than the whole allowance waits until nothing else is held, then goes alone
        int held = (int) Math.min(request.content().length, maxBufferedBytes);
        try {
            bufferedBytes.acquire(held);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish(request.key(), future, new UploadFailedException("Interrupted while waiting to store "
                    + request.key(), false, e));
            return future;
        }
        try {
            executor.execute(() -> runUpload(request, future, held));
        } catch (RuntimeException rejected) {
            bufferedBytes.release(held);
            finish(request.key(), future, rejected);
        }
        return future;
    }

    private void runUpload(StoreRequest request, CompletableFuture<Void> future, int held) {
        try {
            upload(request);
            known.add(request.key());
            finish(request.key(), future, null);
        } catch (Throwable failure) {
            finish(request.key(), future, failure);
        } finally {
            bufferedBytes.release(held);
        }
    }

    /**
     * Leaves the in-flight map before completing, so that anyone woken by the completion who stores the same key
     * again either finds it known or starts a fresh upload, never this finished (possibly failed) one.
     */
    private void finish(String key, CompletableFuture<Void> future, Throwable failure) {
        inFlight.remove(key, future);
        if (failure == null) {
            future.complete(null);
        } else {
            future.completeExceptionally(failure);
        }
    }

    private void upload(StoreRequest request) {
        long start = System.nanoTime();
        byte[] stored = compressors.compress(request.codec(), request.content());
        PutObjectRequest put = putRequest(request, stored);
        long deadline = retry.deadline();
        String lastFailure = "";
        for (int attempt = 0; ; attempt++) {
            try {
                putOnce(request, put, stored, start);
                return;
            } catch (S3Exception e) {
                if (e.statusCode() != 409 && ErrorClassifier.classify(e) != ErrorClassifier.Disposition.RETRY) {
                    throw new UploadFailedException("Storing s3://" + settings.bucket() + "/" + request.key()
                            + " failed and cannot succeed by retrying: " + ErrorClassifier.describe(e) + kmsHint(e), true, e);
                }
                lastFailure = ErrorClassifier.describe(e);
            } catch (SdkException e) {
                if (ErrorClassifier.classify(e) != ErrorClassifier.Disposition.RETRY) {
                    throw new UploadFailedException("Storing s3://" + settings.bucket() + "/" + request.key()
                            + " failed: " + ErrorClassifier.describe(e), true, e);
                }
                lastFailure = ErrorClassifier.describe(e);
            }
            metrics.uploadRetried();
            try {
                if (!retry.backOff(attempt, deadline)) {
                    throw new UploadFailedException("Storing s3://" + settings.bucket() + "/" + request.key()
                            + " did not succeed within " + retry.budget().toMillis() + " ms: " + lastFailure, false, null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UploadFailedException("Interrupted while storing " + request.key(), false, e);
            }
        }
    }

    /**
     * One conditional PUT. A 412 means the key is already there: a dedupe hit once its garbage-collection mark, if
     * any, is cleared and a HEAD confirms it holds this content. A collector may delete it in between (it saw the mark
     * first): then the HEAD finds nothing and it is stored again. One encrypted otherwise than s3.sse now says is
     * stored again over itself. A failure of the HEAD is thrown like a PUT failure, so that the caller retries the
     * whole.
     */
    private void putOnce(StoreRequest request, PutObjectRequest put, byte[] stored, long start) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                // the array is never changed once compressed: the SDK may read it without its own copy
                s3.putObject(put, RequestBody.fromContentProvider(ContentStreamProvider.fromByteArrayUnsafe(stored),
                        stored.length, request.contentType()));
                metrics.objectUploaded(request.content().length, stored.length, (System.nanoTime() - start) / 1_000_000);
                log.debug("Stored s3://{}/{} ({} bytes, {} stored)", settings.bucket(), request.key(),
                        request.content().length, stored.length);
                return;
            } catch (S3Exception e) {
                if (e.statusCode() != 412) {
                    throw e;
                }
            }
            clearGcMark(request.key());
            Optional<HeadObjectResponse> existing = checkExisting(request);
            if (existing.isPresent() && encryptedAsConfigured(existing.get())) {
                metrics.objectDeduplicated(request.content().length);
                return;
            }
            if (existing.isPresent()) {
                // the same bytes, stored before s3.sse was set or its key changed: a pointer written now names only
                // objects encrypted as configured, so they are stored again over themselves
                log.info("s3://{}/{} exists encrypted with {}{}, not as s3.sse now says: storing it again", settings.bucket(),
                        request.key(), existing.get().serverSideEncryptionAsString(),
                        existing.get().ssekmsKeyId() == null ? "" : " key " + existing.get().ssekmsKeyId());
                put = put.toBuilder().ifNoneMatch(null).build();
            }
        }
        throw new UploadFailedException("s3://" + settings.bucket() + "/" + request.key() + " kept disappearing "
                + "between a conditional PUT that found it and the HEAD that followed", false, null);
    }

    /**
     * The object is about to be named again. If a collector marked it as unreferenced, remove the mark, then wait long
     * enough for a collector that read the mark before it went to have finished (or abandoned) deleting the object.
     */
    private void clearGcMark(String key) {
        String mark = GcMarks.markKey(key);
        if (head(mark).isEmpty()) {
            return;
        }
        try {
            s3.deleteObject(d -> d.bucket(settings.bucket()).key(mark)
                    .expectedBucketOwner(settings.expectedBucketOwner().orElse(null)));
        } catch (S3Exception e) {
            if (e.statusCode() != 403 || ErrorClassifier.classify(e) == ErrorClassifier.Disposition.RETRY) {
                throw e;
            }
            throw new UploadFailedException("Removing the garbage-collection mark s3://" + settings.bucket() + "/" + mark
                    + " failed: " + ErrorClassifier.describe(e), true, e);
        }
        metrics.gcMarkCleared();
        log.info("s3://{}/{} is named again after a garbage collector marked it unreferenced: mark removed, waiting {} ms "
                + "before trusting the object", settings.bucket(), key, settings.gcMarkWait().toMillis());
        try {
            retry.sleeper().sleep(settings.gcMarkWait());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UploadFailedException("Interrupted while storing " + key, false, e);
        }
    }

    private Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(s3.headObject(h -> h.bucket(settings.bucket()).key(key)
                    .expectedBucketOwner(settings.expectedBucketOwner().orElse(null))));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            if (e.statusCode() == 403 && ErrorClassifier.classify(e) != ErrorClassifier.Disposition.RETRY) {
                // refused, not skew (a clock far off, also 403, is retried as before): no retry can fix it
                throw new UploadFailedException("S3 refused a HEAD of s3://" + settings.bucket() + "/" + key + ": "
                        + ErrorClassifier.describe(e) + settings.expectedBucketOwner().map(owner -> ". Or the "
                        + "bucket's owner is not the expected account " + owner).orElse(""), true, e);
            }
            throw e;
        }
    }

    /**
     * The object, when the key still exists; it must hold this content, compressed the way the pointer will say.
     */
    private Optional<HeadObjectResponse> checkExisting(StoreRequest request) {
        Optional<HeadObjectResponse> head = head(request.key());
        if (head.isEmpty()) {
            return head;
        }
        Map<String, String> meta = head.get().metadata();
        String codec = meta.get(ObjectMetadata.CODEC);
        String sha = meta.get(ObjectMetadata.SHA256);
        if ((codec != null && !codec.equals(request.codec().configValue())) || (sha != null && !sha.equals(request.sha256()))) {
            throw new UploadFailedException("s3://" + settings.bucket() + "/" + request.key() + " already exists with "
                    + "codec " + codec + " and SHA-256 " + sha + ", but this connector would store codec "
                    + request.codec().configValue() + " and SHA-256 " + request.sha256() + " under the same key; "
                    + "include {ext} in offload.key.template so that codecs get their own keys", true, null);
        }
        return head;
    }

    /**
     * Whether an existing object is encrypted as s3.sse says: the same algorithm and, when s3.sse.kms.key.id is a
     * key's ARN (as S3 reports the key), the same key. An alias or a bare key id cannot be compared without KMS.
     */
    private boolean encryptedAsConfigured(HeadObjectResponse head) {
        if (settings.serverSideEncryption().isEmpty()) {
            return true;
        }
        if (!settings.serverSideEncryption().get().equals(head.serverSideEncryptionAsString())) {
            return false;
        }
        return settings.kmsKeyId().filter(key -> key.startsWith("arn:") && key.contains(":key/"))
                .map(key -> key.equals(head.ssekmsKeyId())).orElse(true);
    }

    /**
     * S3 refuses a write it cannot encrypt with a {@code KMS.*} code (a key that does not exist in the bucket's Region,
     * is disabled or pending deletion), or with AccessDenied naming a {@code kms:} action: say which setting chose the key.
     */
    private String kmsHint(S3Exception e) {
        String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
                : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? ""
                : e.awsErrorDetails().errorMessage();
        if (!code.startsWith("KMS.") && !(code.equals("AccessDenied") && message.contains("kms:"))) {
            return "";
        }
        return ". S3 could not encrypt with the SSE-KMS key "
                + settings.kmsKeyId().map(key -> "s3.sse.kms.key.id=" + key)
                        .orElse("of s3.sse=aws:kms (no s3.sse.kms.key.id: the account's aws/s3 key)")
                + ": check that the key exists in the bucket's Region and is enabled, and that the connector's "
                + "credentials may use it (kms:GenerateDataKey)";
    }

    private PutObjectRequest putRequest(StoreRequest request, byte[] stored) {
        Map<String, String> metadata = new HashMap<>(request.provenance());
        metadata.put(ObjectMetadata.SHA256, request.sha256());
        metadata.put(ObjectMetadata.UNCOMPRESSED_SIZE, Long.toString(request.content().length));
        metadata.put(ObjectMetadata.CODEC, request.codec().configValue());
        metadata.put(ObjectMetadata.FORMAT, request.format());
        PutObjectRequest.Builder put = PutObjectRequest.builder()
                .bucket(settings.bucket())
                .key(request.key())
                .ifNoneMatch("*")
                .contentType(request.contentType())
                .contentLength((long) stored.length)
                .metadata(metadata);
        if (stored == request.content()) {
            // uncompressed, the stored bytes are the content whose SHA-256 is already known: hash once
            put.checksumSHA256(Fingerprint.base64FromHex(request.sha256()));
        } else {
            // the content's SHA-256 already guards the object end to end (readers check it); for the wire, CRC32C
            // (S3's own default family, done in hardware) costs a fraction of a second SHA-256 over megabytes
            put.checksumCRC32C(Fingerprint.crc32cBase64(stored));
        }
        if (request.codec().contentEncoding() != null) {
            put.contentEncoding(request.codec().contentEncoding());
        }
        settings.serverSideEncryption().ifPresent(put::serverSideEncryption);
        settings.kmsKeyId().ifPresent(put::ssekmsKeyId);
        settings.expectedBucketOwner().ifPresent(put::expectedBucketOwner);
        return put.build();
    }

    @Override
    public void close() {
        Pools.shutdown(executor, "S3 upload");
        compressors.close();
        // uploads still queued never ran: fail their futures rather than leave anyone waiting on them
        inFlight.forEach((key, future) -> finish(key, future, new UploadFailedException(
                "The task stopped before s3://" + settings.bucket() + "/" + key + " was stored", false, null)));
    }
}
