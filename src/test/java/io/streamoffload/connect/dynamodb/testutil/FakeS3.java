package io.streamoffload.connect.dynamodb.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** A hand-written S3 stand-in for unit tests: objects in a map, honouring If-None-Match, with scriptable failures. */
public final class FakeS3 implements S3Client {
    public record StoredObject(byte[] bytes, PutObjectRequest request) {
    }

    public final Map<String, StoredObject> objects = new ConcurrentHashMap<>();
    public final AtomicInteger puts = new AtomicInteger();
    private final Deque<S3Exception> failures = new ArrayDeque<>();
    private final Deque<S3Exception> headFailures = new ArrayDeque<>();
    /** When set, every PUT waits for it: lets a test act while an upload is still in flight. */
    public volatile CountDownLatch putGate;

    public synchronized FakeS3 thenFail(int status, String code) {
        return thenFail(status, code, "fake " + code);
    }

    public synchronized FakeS3 thenFail(int status, String code, String message) {
        failures.add(failure(status, code, message));
        return this;
    }

    /** The next HEAD fails, as one made after a 412 may. */
    public synchronized FakeS3 thenFailHead(int status, String code) {
        headFailures.add(failure(status, code, "fake " + code));
        return this;
    }

    private static S3Exception failure(int status, String code, String message) {
        return (S3Exception) S3Exception.builder().statusCode(status).message(code)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    @Override
    public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
        puts.incrementAndGet();
        awaitGate();
        S3Exception failure;
        synchronized (this) {
            failure = failures.poll();
        }
        if (failure != null) {
            throw failure;
        }
        byte[] bytes;
        try (var in = body.contentStreamProvider().newStream()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String id = request.bucket() + "/" + request.key();
        StoredObject object = new StoredObject(bytes, request);
        if (!"*".equals(request.ifNoneMatch())) {
            objects.put(id, object);
        } else if (objects.putIfAbsent(id, object) != null) {
            throw (S3Exception) S3Exception.builder().statusCode(412).message("PreconditionFailed")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("PreconditionFailed").build()).build();
        }
        return PutObjectResponse.builder().build();
    }

    private void awaitGate() {
        CountDownLatch gate = putGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public HeadObjectResponse headObject(HeadObjectRequest request) {
        S3Exception failure;
        synchronized (this) {
            failure = headFailures.poll();
        }
        if (failure != null) {
            throw failure;
        }
        StoredObject object = objects.get(request.bucket() + "/" + request.key());
        if (object == null) {
            throw NoSuchKeyException.builder().statusCode(404).build();
        }
        return HeadObjectResponse.builder().metadata(object.request().metadata()).contentLength((long) object.bytes().length)
                .serverSideEncryption(object.request().serverSideEncryptionAsString())
                .ssekmsKeyId(object.request().ssekmsKeyId()).build();
    }

    @Override
    public software.amazon.awssdk.services.s3.model.DeleteObjectResponse deleteObject(
            software.amazon.awssdk.services.s3.model.DeleteObjectRequest request) {
        objects.remove(request.bucket() + "/" + request.key());
        return software.amazon.awssdk.services.s3.model.DeleteObjectResponse.builder().build();
    }

    @Override
    public ResponseBytes<GetObjectResponse> getObjectAsBytes(GetObjectRequest request) {
        StoredObject object = objects.get(request.bucket() + "/" + request.key());
        if (object == null) {
            throw NoSuchKeyException.builder().statusCode(404).build();
        }
        return ResponseBytes.fromByteArray(GetObjectResponse.builder().metadata(object.request().metadata()).build(),
                object.bytes());
    }

    @Override
    public String serviceName() {
        return "s3";
    }

    @Override
    public void close() {
    }
}
