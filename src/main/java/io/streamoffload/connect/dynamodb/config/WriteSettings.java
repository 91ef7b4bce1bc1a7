package io.streamoffload.connect.dynamodb.config;

import java.util.Arrays;
import java.util.Locale;
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
    public static final WriteSettings PUT = new WriteSettings(Mode.PUT, true, Optional.empty(), CdcFormat.NONE);

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

    public enum Mode implements Choice {
        PUT, UPDATE
    }

    public enum CdcFormat implements Choice {
        NONE, DEBEZIUM
    }

    /** Where a write's version comes from. */
    public enum VersionSource implements Choice {
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

    /** A setting's fixed values, spelled as in the config: the constant's name in lower case, '_' as '.'. */
    public interface Choice {
        default String configValue() {
            return ((Enum<?>) this).name().toLowerCase(Locale.ROOT).replace('_', '.');
        }

        static <E extends Enum<E> & Choice> E parse(Class<E> type, String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            return Arrays.stream(type.getEnumConstants()).filter(c -> c.configValue().equals(v)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("Unknown " + type.getSimpleName() + ": " + value));
        }

        static <E extends Enum<E> & Choice> String[] values(Class<E> type) {
            return Arrays.stream(type.getEnumConstants()).map(Choice::configValue).toArray(String[]::new);
        }
    }
}
