package io.streamoffload.connect.dynamodb.offload;

import io.streamoffload.connect.dynamodb.offload.codec.Codec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How large fields go to S3.
 *
 * @param bucket               the bucket objects are stored in
 * @param namedFields          fields always offloaded
 * @param thresholdBytes       fields whose size as DynamoDB counts it reaches this are offloaded; 0 turns this off
 * @param codec                how objects are compressed
 * @param keyTemplate          how object keys are formed
 * @param uriPointers          store bare {@code s3://} strings (pynamodb_mate compatible) instead of pointer maps
 * @param maxConcurrentUploads uploads in flight at once, per task
 * @param maxBufferedBytes     serialized content held for unfinished uploads, per task, before mapping waits
 * @param cacheEntries         object keys remembered as already stored, per task
 * @param dedupeTtl            how long a remembered key is trusted without asking S3
 * @param gcMarkWait           how long to wait after clearing a garbage-collection mark before reusing an object
 * @param serverSideEncryption {@code AES256} or {@code aws:kms}, when set
 * @param kmsKeyId             the KMS key for {@code aws:kms}, when set
 * @param expectedBucketOwner  the account id that must own the bucket, when set
 * @param deadLetterPrefix     where bad records too large for the dead letter queue are parked
 */
public record OffloadSettings(String bucket, List<NamedField> namedFields, long thresholdBytes, Codec codec,
                              ObjectKeyTemplate keyTemplate, boolean uriPointers, int maxConcurrentUploads,
                              int maxBufferedBytes, int cacheEntries, Duration dedupeTtl, Duration gcMarkWait,
                              Optional<String> serverSideEncryption, Optional<String> kmsKeyId,
                              Optional<String> expectedBucketOwner, String deadLetterPrefix) {
}
