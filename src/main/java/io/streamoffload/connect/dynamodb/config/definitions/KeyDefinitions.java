package io.streamoffload.connect.dynamodb.config.definitions;

import io.streamoffload.connect.dynamodb.config.KeySource;
import io.streamoffload.connect.dynamodb.config.KeySpec;
import io.streamoffload.connect.dynamodb.config.Validators;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The Keys group: the partition key and the optional sort key, each an attribute name, a source, a field and a type.
 */
public final class KeyDefinitions {
    public static final String GROUP_KEYS = "Keys";

    public static final String KEY_PARTITION_PREFIX = KeySpec.Role.PARTITION.configPrefix();
    public static final String KEY_SORT_PREFIX = KeySpec.Role.SORT.configPrefix();
    public static final String KEY_ATTRIBUTE = "attribute";
    public static final String KEY_SOURCE = "source";
    public static final String KEY_FIELD = "field";
    public static final String KEY_TYPE = "type";

    private KeyDefinitions() {
    }

    /** Adds the group's settings to the connector's ConfigDef. */
    public static void define(ConfigDef def) {
        defineKey(def, KEY_PARTITION_PREFIX, "partition", "pk", KeySource.RECORD_KEY.configValue(), 0);
        defineKey(def, KEY_SORT_PREFIX, "sort", "", KeySource.RECORD_KEY.configValue(), 10);
    }

    private static void defineKey(ConfigDef def, String prefix, String kind, String defaultAttribute,
                                  String defaultSource, int order) {
        boolean sort = prefix.equals(KEY_SORT_PREFIX);
        String label = sort ? "Sort key" : "Partition key";
        def.define(prefix + KEY_ATTRIBUTE, Type.STRING, defaultAttribute, Importance.HIGH,
                "The name of the " + kind + " key attribute." + (sort ? " Empty means the table has no sort key." : ""),
                GROUP_KEYS, order++, Width.SHORT, label + " attribute");
        def.define(prefix + KEY_SOURCE, Type.STRING, defaultSource, Validators.oneOf(KeySource.configValues()),
                Importance.HIGH, "Where the " + kind + " key value comes from: 'record.key' (the whole key if it is a "
                        + "primitive, or " + prefix + KEY_FIELD + " of a Struct/Map key), 'record.value' ("
                        + prefix + KEY_FIELD + " of the value), or a Kafka coordinate ('kafka.topic', 'kafka.partition', "
                        + "'kafka.offset').",
                GROUP_KEYS, order++, Width.SHORT, label + " source");
        def.define(prefix + KEY_FIELD, Type.STRING, "", Importance.HIGH,
                "A dotted path (a.b.c) into nested Structs or Maps of the record key or value holding the " + kind
                        + " key. Required for 'record.value'; empty with 'record.key' takes the whole key.",
                GROUP_KEYS, order++, Width.MEDIUM, label + " field");
        def.define(prefix + KEY_TYPE, Type.STRING, "S", Validators.oneOf("S", "N", "B"), Importance.MEDIUM,
                "The DynamoDB type of the " + kind + " key attribute: S (string), N (number) or B (binary). Values are "
                        + "converted to it: numbers and booleans to strings for S, numeric strings to numbers for N, "
                        + "strings to UTF-8 for B.",
                GROUP_KEYS, order, Width.SHORT, label + " type");
    }
}
