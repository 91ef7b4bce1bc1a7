package io.streamoffload.connect.dynamodb.config.definitions;

import io.streamoffload.connect.dynamodb.config.Validators;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The Table group: which table each record goes to, whether a missing one is created, and how long its creation is awaited.
 */
public final class TableDefinitions {
    public static final String GROUP_TABLE = "Table";

    public static final String TABLE_NAME_FORMAT = "table.name.format";
    private static final String TABLE_NAME_FORMAT_DOC = "The DynamoDB table each record is written to: a fixed name, "
            + "or a format in which ${topic} is replaced by the record's topic (one table per topic).";
    public static final String TABLE_AUTO_CREATE = "table.auto.create";
    private static final String TABLE_AUTO_CREATE_DOC = "Create a missing table (on-demand billing, key schema from the "
            + "key.* settings, TTL enabled when ttl.attribute is set) and wait until it is created. When false, the table must "
            + "exist and its key schema must match the key.* settings, or the connector fails at start with what differs.";
    public static final String TABLE_ACTIVE_TIMEOUT_MS = "table.active.timeout.ms";
    private static final String TABLE_ACTIVE_TIMEOUT_MS_DOC = "How long to wait for a table that is being created (CREATING) "
            + "to become usable. Tables that are UPDATING take writes and are used at once.";

    private TableDefinitions() {
    }

    /** Adds the group's settings to the connector's ConfigDef. */
    public static void define(ConfigDef def) {
        int order = 0;
        def.define(TABLE_NAME_FORMAT, Type.STRING, "${topic}", Validators.tableNameFormat(), Importance.HIGH,
                TABLE_NAME_FORMAT_DOC, GROUP_TABLE, order++, Width.MEDIUM, "Table name format");
        def.define(TABLE_AUTO_CREATE, Type.BOOLEAN, false, Importance.MEDIUM, TABLE_AUTO_CREATE_DOC,
                GROUP_TABLE, order++, Width.SHORT, "Create missing tables");
        def.define(TABLE_ACTIVE_TIMEOUT_MS, Type.LONG, 300_000L, ConfigDef.Range.between(1_000, 3_600_000),
                Importance.LOW, TABLE_ACTIVE_TIMEOUT_MS_DOC, GROUP_TABLE, order, Width.SHORT, "Table ACTIVE timeout (ms)");
    }
}
