package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Cuts a round's writes into chains that must each go in record order, and may go concurrently with each other: the
 * writes to one key; and, where a row's primary key changed, the writes to its old key and to its new key together,
 * since the new item takes from the old one what its own change cannot carry.
 */
final class WriteChains {
    private WriteChains() {
    }

    /** One chain: its writes in record order, and whether it spans several keys (a primary-key change). */
    record Chain(List<WriteOperation> writes, boolean linked) {
    }

    private record TableKey(String table, Map<String, AttributeValue> key) {
    }

    static List<Chain> of(List<WriteOperation> operations) {
        Map<TableKey, TableKey> links = new HashMap<>();
        for (WriteOperation write : operations) {
            if (write.movedTo() != null) {
                union(links, new TableKey(write.table(), write.key()), new TableKey(write.table(), write.movedTo()));
            }
        }
        Map<TableKey, List<WriteOperation>> chains = new LinkedHashMap<>();
        Map<TableKey, Boolean> linked = new HashMap<>();
        for (WriteOperation write : operations) {
            TableKey key = new TableKey(write.table(), write.key());
            TableKey root = root(links, key);
            chains.computeIfAbsent(root, k -> new ArrayList<>(2)).add(write);
            if (!root.equals(key) || write.movedTo() != null) {
                linked.put(root, true);
            }
        }
        List<Chain> result = new ArrayList<>(chains.size());
        chains.forEach((root, writes) -> result.add(new Chain(writes, linked.getOrDefault(root, false))));
        return result;
    }

    private static TableKey root(Map<TableKey, TableKey> links, TableKey key) {
        TableKey current = key;
        for (TableKey parent = links.get(current); parent != null; parent = links.get(current)) {
            current = parent;
        }
        return current;
    }

    private static void union(Map<TableKey, TableKey> links, TableKey a, TableKey b) {
        TableKey rootA = root(links, a);
        TableKey rootB = root(links, b);
        if (!rootA.equals(rootB)) {
            links.put(rootB, rootA);
        }
    }
}
