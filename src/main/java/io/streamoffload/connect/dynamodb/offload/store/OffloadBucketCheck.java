package io.streamoffload.connect.dynamodb.offload.store;

import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import io.streamoffload.connect.dynamodb.offload.OffloadSettings;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The offload bucket, checked when the connector starts rather than when the first record large enough to offload
 * arrives, perhaps hours later. It reads a key that does not exist under the objects' key prefix, which needs only what
 * storing objects needs (s3:GetObject on the prefix, s3:ListBucket for the answer to be 404) and changes nothing: a
 * bucket that does not exist, access refused, a bucket in another Region or of another account stop the connector
 * with the reason. A failure a retry may get past is only logged: the tasks retry as they always do.
 */
public final class OffloadBucketCheck {
    /** The key read: never written, so that S3 answers 404 when all is well. */
    static final String PROBE = "_dynamodb-offload-start-check";
    private static final Logger log = LoggerFactory.getLogger(OffloadBucketCheck.class);

    private OffloadBucketCheck() {
    }

    /** @throws ConnectException naming the bucket and the reason, when no retry can get past it */
    public static void run(S3Client s3, OffloadSettings settings) {
        String key = settings.keyTemplate().literalPrefix() + PROBE;
        String where = "offload.s3.bucket " + settings.bucket();
        try {
            s3.getObjectAsBytes(g -> g.bucket(settings.bucket()).key(key).range("bytes=0-0")
                    .expectedBucketOwner(settings.expectedBucketOwner().orElse(null)));
        } catch (NoSuchKeyException e) {
            log.info("Offload bucket {} reachable (a key that does not exist answers 404)", settings.bucket());
        } catch (NoSuchBucketException e) {
            throw new ConnectException(where + " does not exist (or not where s3.region and s3.endpoint.url point): "
                    + ErrorClassifier.describe(e));
        } catch (SdkException e) {
            if (ErrorClassifier.classify(e) == ErrorClassifier.Disposition.RETRY) {
                log.warn("Could not check {} at start ({}); the tasks will find out, retrying as usual", where,
                        ErrorClassifier.describe(e));
                return;
            }
            throw new ConnectException("Could not check " + where + " at start, by reading s3://" + settings.bucket()
                    + "/" + key + " (a key that does not exist): " + ErrorClassifier.describe(e)
                    + settings.expectedBucketOwner().map(owner -> ". Or the bucket's owner is not the expected "
                    + "account s3.expected.bucket.owner=" + owner).orElse(""), e);
        }
    }
}
