package io.streamoffload.connect.dynamodb.config;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
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
 * @param unavailable with change events, how Debezium marks a column it could not read; empty when such columns are
 *                    written as they come
 */
public record WriteSettings(Mode mode, boolean removeNulls, Optional<Version> version, CdcFormat cdc,
                            Optional<Unavailable> unavailable) {
    /**
     * Whether writes must go one item per call: BatchWriteItem takes neither conditions nor update expressions.
     */
    public boolean singleItemWrites() {
        return mode == Mode.UPDATE || version.isPresent();
    }

    /** Whether an update's NULL attribute removes it: in update mode as configured; a put stores NULL. */
    public boolean nullsRemoveAttributes() {
        return mode == Mode.UPDATE && removeNulls;
    }

    /** For the task's start-up log line, e.g. {@code update, versions from record.value v in _version}. */
    public String describe() {
        return mode.configValue() + version.map(v -> ", versions from " + v.source().configValue()
                + v.field().map(f -> " " + f).orElse("") + " in " + v.attribute()).orElse("")
                + (cdc == CdcFormat.NONE ? "" : ", " + cdc.configValue() + " change events")
                + unavailable.map(u -> ", unavailable columns kept as stored").orElse("");
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

    /**
     * Debezium's placeholder for a column value a change event does not carry, and the attribute that lists the
     * columns an item was created without.
     *
     * @param placeholder      as configured: text, or {@code hex:} and the bytes in hex (Debezium's own syntax)
     * @param columnsAttribute the string-set attribute naming the columns an item lacks
     */
    public record Unavailable(String placeholder, String columnsAttribute) {
        /** The placeholder's bytes, as Debezium gives it for a binary column. */
        public byte[] bytes() {
            return bytesOf(placeholder);
        }

        /** The placeholder as Debezium gives it for a text column: its bytes read as UTF-8. */
        public String text() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        /**
         * @throws IllegalArgumentException when a {@code hex:} placeholder is not an even number of hex digits
         */
        public static byte[] bytesOf(String placeholder) {
            if (!placeholder.startsWith("hex:")) {
                return placeholder.getBytes(StandardCharsets.UTF_8);
            }
            String hex = placeholder.substring(4);
            if (hex.isEmpty() || hex.length() % 2 != 0) {
                throw new IllegalArgumentException("a 'hex:' placeholder needs an even, non-zero number of hex digits");
            }
            try {
                return HexFormat.of().parseHex(hex);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a 'hex:' placeholder must hold hex digits only after 'hex:'");
            }
        }
    }
}
