package io.streamoffload.connect.dynamodb.config;

import java.util.Optional;

/**
 * How records become writes: whole-item puts or attribute updates, whether a version guards each write against an
 * older one, and whether record values are change events to unwrap.
 *
 * @param mode        put (replace the item) or update (set the attributes the record carries)
 * @param removeNulls in update mode, whether a field that is explicitly null removes its attribute (else it is set
 *                    to NULL)
 * @param version     the version that guards each write; empty when writes are unconditional
 * @param cdc         the change-event format of record values
 */
public record WriteSettings(Mode mode, boolean removeNulls, Optional<Version> version, CdcFormat cdc) {
    /**
     * Whether writes must go one item per call: BatchWriteItem takes neither conditions nor update expressions.
     */
    public boolean singleItemWrites() {
        return mode == Mode.UPDATE || version.isPresent();
    }

    /** For the task's start-up log line, e.g. {@code update, versions from record.value v in _version}. */
    public String describe() {
        return mode.configValue() + version.map(v -> ", versions from " + v.source().configValue()
                + v.field().map(f -> " " + f).orElse("") + " in " + v.attribute()).orElse("")
                + (cdc == CdcFormat.NONE ? "" : ", " + cdc.configValue() + " change events");
    }

    public enum Mode implements ConfigChoice {
        PUT, UPDATE
    }

    public enum CdcFormat implements ConfigChoice {
        NONE, DEBEZIUM
    }

    /** Where a write's version comes from. */
    public enum VersionSource implements ConfigChoice {
        RECORD_VALUE, KAFKA_OFFSET, KAFKA_TIMESTAMP
    }

    /**
     * @param source    where the version comes from
     * @param field     for {@link VersionSource#RECORD_VALUE}, the path of the numeric field (into the change event's
     *                  envelope when values are change events)
     * @param attribute the item attribute that stores the version
     */
    public record Version(VersionSource source, Optional<FieldPath> field, String attribute) {
    }
}
