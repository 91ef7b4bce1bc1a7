package io.streamoffload.connect.dynamodb.config.definitions;

import io.streamoffload.connect.dynamodb.config.Validators;
import io.streamoffload.connect.dynamodb.mapping.TemporalFormat;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The Mapping group: how string and raw values, dates and times, tombstones and TTL become item attributes.
 */
public final class MappingDefinitions {
    public static final String GROUP_MAPPING = "Mapping";

    public static final String VALUE_STRING_FORMAT = "value.string.format";
    private static final String VALUE_STRING_FORMAT_DOC = "How a record value that is a Java String is read: 'json' parses it "
            + "as a JSON object whose fields become attributes; 'raw' stores the string as is under value.raw.attribute.";
    public static final String VALUE_RAW_ATTRIBUTE = "value.raw.attribute";
    private static final String VALUE_RAW_ATTRIBUTE_DOC = "The attribute that holds a raw value: a byte[] value (B), "
            + "or a String value (S) when value.string.format=raw.";
    public static final String TEMPORAL_FORMAT = "temporal.format";
    private static final String TEMPORAL_FORMAT_DOC = "How Connect Date, Time and Timestamp logical values are stored: "
            + "'iso8601' as strings (2024-05-01, 13:45:30.250, 2024-05-01T13:45:30.250Z, always UTC) that sort in time order, "
            + "or 'epoch_millis' as numbers (milliseconds since 1970-01-01T00:00Z; for Time, since midnight).";
    public static final String TOMBSTONE_BEHAVIOR = "tombstone.behavior";
    private static final String TOMBSTONE_BEHAVIOR_DOC = "What a record with a null value does: 'delete' deletes the item "
            + "with that key; 'ignore' skips the record (it is still counted and its offset committed).";
    public static final String TTL_ATTRIBUTE = "ttl.attribute";
    private static final String TTL_ATTRIBUTE_DOC = "When set, each item gets this attribute holding an expiry time in "
            + "epoch seconds: the record timestamp (or the time of writing, for records without one) plus ttl.seconds. "
            + "Empty turns TTL off.";
    public static final String TTL_SECONDS = "ttl.seconds";
    private static final String TTL_SECONDS_DOC = "How long after the record timestamp an item expires, when ttl.attribute is set.";

    private MappingDefinitions() {
    }

    /** Adds the group's settings to the connector's ConfigDef. */
    public static void define(ConfigDef def) {
        int order = 0;
        def.define(VALUE_STRING_FORMAT, Type.STRING, "json", Validators.oneOf("json", "raw"), Importance.MEDIUM,
                VALUE_STRING_FORMAT_DOC, GROUP_MAPPING, order++, Width.SHORT, "String value format");
        def.define(VALUE_RAW_ATTRIBUTE, Type.STRING, "value", new ConfigDef.NonEmptyString(), Importance.LOW,
                VALUE_RAW_ATTRIBUTE_DOC, GROUP_MAPPING, order++, Width.SHORT, "Raw value attribute");
        def.define(TEMPORAL_FORMAT, Type.STRING, TemporalFormat.ISO8601.configValue(),
                Validators.oneOf(TemporalFormat.configValues()), Importance.LOW, TEMPORAL_FORMAT_DOC, GROUP_MAPPING,
                order++, Width.SHORT, "Date/time representation");
        def.define(TOMBSTONE_BEHAVIOR, Type.STRING, "delete", Validators.oneOf("delete", "ignore"), Importance.MEDIUM,
                TOMBSTONE_BEHAVIOR_DOC, GROUP_MAPPING, order++, Width.SHORT, "Tombstone behaviour");
        def.define(TTL_ATTRIBUTE, Type.STRING, "", Importance.LOW, TTL_ATTRIBUTE_DOC, GROUP_MAPPING, order++,
                Width.SHORT, "TTL attribute");
        def.define(TTL_SECONDS, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.LOW, TTL_SECONDS_DOC,
                GROUP_MAPPING, order, Width.SHORT, "TTL (seconds)");
    }
}
