package io.streamoffload.connect.dynamodb.offload.store;

/**
 * Where {@code dynamodb-offload gc} marks objects it found unreferenced: an empty object per marked key under a
 * reserved prefix of the same bucket, with the collector's clock reading in its metadata. The connector and the
 * collector agree on nothing else.
 */
public final class GcMarks {
    /** Object keys the connector writes are hex fingerprints or template output, never under this prefix. */
    public static final String PREFIX = "_dynamodb-offload/gc-marks/";
    /** Metadata holding when the collector marked the object, in epoch milliseconds of its own clock. */
    public static final String MARKED_AT = "marked-at";

    private GcMarks() {
    }

    public static String markKey(String objectKey) {
        return PREFIX + objectKey;
    }

    public static boolean isMark(String key) {
        return key.startsWith(PREFIX);
    }

    public static String objectKey(String markKey) {
        return markKey.substring(PREFIX.length());
    }
}
