package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.errors.OriginalCoordinates;
import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Says once per item, at WARN, that a change created it without columns the change could not carry: the sink never
 * saw the row whole. The key is not logged (it is content); the record's coordinates and the column names are. The
 * items already named are remembered up to a bound, so a hot incomplete row does not flood the log.
 */
final class IncompleteItems {
    private static final Logger log = LoggerFactory.getLogger(IncompleteItems.class);
    private static final int REMEMBERED = 10_000;

    private record TableKey(String table, Map<String, AttributeValue> key) {
    }

    private final Map<TableKey, Boolean> warned = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TableKey, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    void warnOnce(WriteOperation write) {
        TableKey item = new TableKey(write.table(), write.key());
        synchronized (warned) {
            if (warned.put(item, Boolean.TRUE) != null) {
                return;
            }
        }
        log.warn("The change at {} found no item in table {} and created it without columns {}, which the change event "
                        + "does not carry (Debezium's placeholder for an unchanged large value); the item lists them in "
                        + "its unavailable-columns attribute until a whole row arrives: run a Debezium incremental "
                        + "snapshot of the table, or give it REPLICA IDENTITY FULL (docs/debezium.md#backfilling-items)",
                OriginalCoordinates.describe(write.record()), write.table(), write.unavailable());
    }
}
