package io.streamoffload.connect.dynamodb.mapping;

import java.math.BigDecimal;

/**
 * DynamoDB's documented service limits that the connector checks before sending anything, all in one place (S3's
 * limit on object keys is {@code ObjectKeyTemplate.MAX_KEY_BYTES}).
 */
public final class DynamoDbLimits {
    /** Maximum item size, counted as attribute name bytes plus value bytes. */
    public static final int MAX_ITEM_BYTES = 400 * 1024;
    /** Maximum levels of nesting, counting the item as the first: 31 maps or lists inside one another. */
    public static final int MAX_NESTING_DEPTH = 32;
    /** Maximum length of an attribute name or map key, in UTF-8 bytes (64 KB; names must not be empty either). */
    public static final int MAX_ATTRIBUTE_NAME_BYTES = 65_535;
    /** Maximum significant digits of a number. */
    public static final int MAX_NUMBER_PRECISION = 38;
    /** Largest positive magnitude: 9.9999999999999999999999999999999999999E+125. */
    public static final BigDecimal MAX_NUMBER_MAGNITUDE = new BigDecimal("9.9999999999999999999999999999999999999E+125");
    /** Smallest positive magnitude: 1E-130. */
    public static final BigDecimal MIN_NUMBER_MAGNITUDE = new BigDecimal("1E-130");
    /** Maximum write requests in one BatchWriteItem call. */
    public static final int MAX_BATCH_REQUESTS = 25;
    /** Maximum total request size of one BatchWriteItem call. */
    public static final long MAX_BATCH_BYTES = 16L * 1024 * 1024;
    /** Maximum size of a partition key value, in bytes. */
    public static final int MAX_PARTITION_KEY_BYTES = 2048;
    /** Maximum size of a sort key value, in bytes. */
    public static final int MAX_SORT_KEY_BYTES = 1024;
    /** Maximum length of one expression (an update's or a condition's), in bytes. */
    public static final int MAX_EXPRESSION_BYTES = 4096;

    private DynamoDbLimits() {
    }
}
