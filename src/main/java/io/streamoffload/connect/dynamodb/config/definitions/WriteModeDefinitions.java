package io.streamoffload.connect.dynamodb.config.definitions;

import io.streamoffload.connect.dynamodb.config.ConfigChoice;
import io.streamoffload.connect.dynamodb.config.Validators;
import io.streamoffload.connect.dynamodb.config.WriteSettings.CdcFormat;
import io.streamoffload.connect.dynamodb.config.WriteSettings.Mode;
import io.streamoffload.connect.dynamodb.config.WriteSettings.VersionSource;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The Write modes group: puts or updates, versions and where they come from, and change-event formats.
 */
public final class WriteModeDefinitions {
    public static final String GROUP_WRITE_MODES = "Write modes";
    public static final String WRITE_MODE = "write.mode";
    private static final String WRITE_MODE_DOC = "'put' replaces the whole item with what the record carries "
            + "(BatchWriteItem); 'update' sets the attributes the record carries and keeps the item's others (one "
            + "UpdateItem per record).";
    public static final String WRITE_UPDATE_NULLS = "write.update.nulls";
    private static final String WRITE_UPDATE_NULLS_DOC = "In update mode, what a top-level field that is explicitly null "
            + "does: 'remove' removes the attribute from the item; 'keep' stores it as NULL. A field the record does not "
            + "carry at all leaves its attribute as it is.";
    public static final String WRITE_VERSION_SOURCE = "write.version.source";
    private static final String WRITE_VERSION_SOURCE_DOC = "Where each write's version comes from: empty (no versions: "
            + "the last record consumed wins), 'record.value' (the numeric field write.version.field), 'kafka.offset' "
            + "or 'kafka.timestamp'. With a version, a put, update or delete applies only if the item does not exist, "
            + "has no version attribute, or holds a strictly smaller version; a write that is not newer is counted "
            + "(WritesSuperseded) and skipped, never an error. Writes then go one item per call.";
    public static final String WRITE_VERSION_FIELD = "write.version.field";
    private static final String WRITE_VERSION_FIELD_DOC = "With write.version.source=record.value, a dotted path to "
            + "the numeric field holding the version; with cdc.format=debezium the path is into the change event "
            + "(ts_ms, source.lsn, source.ts_ms), not its 'after' row.";
    public static final String WRITE_VERSION_ATTRIBUTE = "write.version.attribute";
    private static final String WRITE_VERSION_ATTRIBUTE_DOC = "The item attribute that stores the version of the write "
            + "that made it, and against which later writes are compared.";
    public static final String CDC_FORMAT = "cdc.format";
    private static final String CDC_FORMAT_DOC = "'none': record values are rows. 'debezium': record values are Debezium "
            + "change events (Struct with schema, schemaless JSON, or a JSON string): 'c', 'r' and 'u' write 'after', "
            + "'d' deletes the key taken from 'before' (or from the record key, as the key settings say), tombstones are "
            + "ignored (the 'd' event before them deleted the item), and any other operation is a bad record.";
    public static final String CDC_UNAVAILABLE_VALUE_PLACEHOLDER = "cdc.unavailable.value.placeholder";
    public static final String CDC_UNAVAILABLE_VALUE_PLACEHOLDER_DEFAULT = "__debezium_unavailable_value";
    private static final String CDC_UNAVAILABLE_VALUE_PLACEHOLDER_DOC = "With cdc.format=debezium, the value Debezium "
            + "sends in place of a column it could not read: with PostgreSQL's default REPLICA IDENTITY, every large "
            + "(TOASTed) column an UPDATE leaves alone. Set it to Debezium's own unavailable.value.placeholder (the "
            + "defaults match; a 'hex:' prefix means the rest is bytes in hex, as in Debezium). A column of the change's "
            + "row holding it, in any form Debezium gives it (the string; its bytes, or their base64 text without a "
            + "schema; a one-element array of it; an integer array of its bytes; a one-entry hstore map), is never "
            + "written: the change sets every other column with UpdateItem and leaves that attribute as the item holds "
            + "it, offloaded pointer included. A placeholder in a key or version field makes the record a bad record. "
            + "Empty writes placeholders as they arrive.";
    public static final String CDC_UNAVAILABLE_COLUMNS_ATTRIBUTE = "cdc.unavailable.columns.attribute";
    private static final String CDC_UNAVAILABLE_COLUMNS_ATTRIBUTE_DOC = "When a change whose row lacks unavailable "
            + "columns finds no item (the sink never saw the row), the item is created without them and this attribute "
            + "lists their names (a string set), the item is counted in PartialItemsCreated and logged once. A snapshot "
            + "row (op 'r': the initial snapshot or a Debezium incremental snapshot) applies to such an item even when "
            + "it holds a version, so that an incremental snapshot fills it in; any whole row replaces the item and "
            + "the attribute with it.";

    private WriteModeDefinitions() {
    }

    /** Adds the group's settings to the connector's ConfigDef. */
    public static void define(ConfigDef def) {
        int order = 0;
        def.define(WRITE_MODE, Type.STRING, Mode.PUT.configValue(), Validators.oneOf(ConfigChoice.values(Mode.class)),
                Importance.MEDIUM, WRITE_MODE_DOC, GROUP_WRITE_MODES, order++, Width.SHORT, "Write mode");
        def.define(WRITE_UPDATE_NULLS, Type.STRING, "remove", Validators.oneOf("remove", "keep"), Importance.LOW,
                WRITE_UPDATE_NULLS_DOC, GROUP_WRITE_MODES, order++, Width.SHORT, "Null fields in updates");
        String[] versionSources = new String[VersionSource.values().length + 1];
        versionSources[0] = "";
        System.arraycopy(ConfigChoice.values(VersionSource.class), 0, versionSources, 1, VersionSource.values().length);
        def.define(WRITE_VERSION_SOURCE, Type.STRING, "", Validators.oneOf(versionSources), Importance.MEDIUM,
                WRITE_VERSION_SOURCE_DOC, GROUP_WRITE_MODES, order++, Width.SHORT, "Version source");
        def.define(WRITE_VERSION_FIELD, Type.STRING, "", Importance.MEDIUM, WRITE_VERSION_FIELD_DOC,
                GROUP_WRITE_MODES, order++, Width.MEDIUM, "Version field");
        def.define(WRITE_VERSION_ATTRIBUTE, Type.STRING, "_version", new ConfigDef.NonEmptyString(), Importance.LOW,
                WRITE_VERSION_ATTRIBUTE_DOC, GROUP_WRITE_MODES, order++, Width.SHORT, "Version attribute");
        def.define(CDC_FORMAT, Type.STRING, CdcFormat.NONE.configValue(), Validators.oneOf(ConfigChoice.values(CdcFormat.class)),
                Importance.MEDIUM, CDC_FORMAT_DOC, GROUP_WRITE_MODES, order++, Width.SHORT, "Change-event format");
        def.define(CDC_UNAVAILABLE_VALUE_PLACEHOLDER, Type.STRING, CDC_UNAVAILABLE_VALUE_PLACEHOLDER_DEFAULT,
                Validators.unavailableValuePlaceholder(), Importance.MEDIUM, CDC_UNAVAILABLE_VALUE_PLACEHOLDER_DOC,
                GROUP_WRITE_MODES, order++, Width.MEDIUM, "Unavailable-value placeholder");
        def.define(CDC_UNAVAILABLE_COLUMNS_ATTRIBUTE, Type.STRING, "_unavailable_columns", new ConfigDef.NonEmptyString(),
                Importance.LOW, CDC_UNAVAILABLE_COLUMNS_ATTRIBUTE_DOC, GROUP_WRITE_MODES, order, Width.SHORT,
                "Unavailable-columns attribute");
    }
}
