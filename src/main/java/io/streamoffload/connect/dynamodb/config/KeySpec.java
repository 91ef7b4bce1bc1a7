package io.streamoffload.connect.dynamodb.config;

import io.streamoffload.connect.dynamodb.mapping.DynamoDbLimits;
import java.util.Optional;

/**
 * How one key attribute (partition or sort) of an item is derived from a record.
 *
 * @param role      partition or sort key
 * @param attribute the DynamoDB attribute name
 * @param source    where the value comes from
 * @param field     a dotted path inside the record key or value; empty for the whole key or a Kafka coordinate
 * @param type      the DynamoDB scalar type the table declares for this attribute
 */
public record KeySpec(Role role, String attribute, KeySource source, Optional<FieldPath> field, KeyType type) {

    /** The two kinds of key, with DynamoDB's size limit for each. */
    public enum Role {
        PARTITION("partition", "key.partition.", DynamoDbLimits.MAX_PARTITION_KEY_BYTES),
        SORT("sort", "key.sort.", DynamoDbLimits.MAX_SORT_KEY_BYTES);

        private final String label;
        private final String configPrefix;
        private final int maxBytes;

        Role(String label, String configPrefix, int maxBytes) {
            this.label = label;
            this.configPrefix = configPrefix;
            this.maxBytes = maxBytes;
        }

        public String label() {
            return label;
        }

        public String configPrefix() {
            return configPrefix;
        }

        public int maxBytes() {
            return maxBytes;
        }
    }

    public int maxBytes() {
        return role.maxBytes();
    }

    public String describe() {
        return role.label() + " key '" + attribute + "' (" + source.configValue()
                + field.map(f -> " field '" + f + "'").orElse("") + ", type " + type + ")";
    }
}
