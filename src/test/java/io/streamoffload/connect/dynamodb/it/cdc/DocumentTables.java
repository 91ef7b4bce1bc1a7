package io.streamoffload.connect.dynamodb.it.cdc;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Two PostgreSQL tables of documents with the same columns, one at the default replica identity (an UPDATE sends only
 * the columns it changed, and Debezium a placeholder for each large column it left alone) and one at FULL (every value
 * is sent), changed by the very same statements. Every type a change event carries its own way is there: small and
 * large text, bytea, numeric with a fixed scale (Connect's Decimal) and without (Debezium's VariableScaleDecimal),
 * bigint, boolean, timestamptz, jsonb, text[] and int[]. Large values are random, so that PostgreSQL cannot compress
 * them below its 2 KB TOAST threshold and stores them out of line.
 */
final class DocumentTables {
    static final String DEFAULT = "docs_default";
    static final String FULL = "docs_full";
    static final List<String> BOTH = List.of(DEFAULT, FULL);
    static final String SIGNALS = "debezium_signal";
    private static final String COLUMNS = "id, title, body, attachment, price, amount, counter, active, updated_at, "
            + "meta, tags, scores";

    private final Connection db;
    private final Random random = new Random(26);
    private int signals;

    DocumentTables(Connection db) {
        this.db = db;
    }

    void create() throws SQLException {
        try (Statement s = db.createStatement()) {
            for (String table : BOTH) {
                s.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, title text, body text, attachment bytea, "
                        + "price numeric(12,2), amount numeric, counter bigint, active boolean, updated_at timestamptz, "
                        + "meta jsonb, tags text[], scores int[])");
            }
            s.execute("ALTER TABLE " + FULL + " REPLICA IDENTITY FULL");
            s.execute("CREATE TABLE " + SIGNALS + " (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data text)");
        }
    }

    /** A row's values: a large one (every TOASTable column large) or a small one, from a generator seeded once. */
    Object[] row(long id, boolean large) {
        return new Object[] {id, "title " + id, large ? text(8_000 + random.nextInt(40_000)) : "short body " + id,
                large ? bytes(20_000 + random.nextInt(30_000)) : new byte[] {1, 2, (byte) id},
                new BigDecimal(random.nextInt(1_000_000)).movePointLeft(2),
                new BigDecimal(random.nextLong() % 1_000_000_000_000L).movePointLeft(random.nextInt(8)),
                (long) random.nextInt(1000), id % 3 == 0, Timestamp.from(Instant.parse("2026-12-01T10:15:30.123456Z")
                .plusSeconds(id)), json(large ? 4_000 : 20), tags(large), scores(large)};
    }

    /** Inserts rows into both tables, the same values in each. */
    void insert(long from, long to, boolean large) throws SQLException {
        for (long id = from; id <= to; id++) {
            Object[] values = row(id, large);
            for (String table : BOTH) {
                insert(table, values);
            }
        }
    }

    void insert(String table, Object[] values) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO " + table + " (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)")) {
            for (int i = 0; i < values.length; i++) {
                Object value = values[i];
                if (value instanceof String[] strings) {
                    value = db.createArrayOf("text", strings);
                } else if (value instanceof Integer[] ints) {
                    value = db.createArrayOf("int4", ints);
                }
                insert.setObject(i + 1, value);
            }
            insert.executeUpdate();
        }
    }

    /** Runs one statement, with {@code %s} standing for the table, on both tables. */
    void onBoth(String statement) throws SQLException {
        try (Statement s = db.createStatement()) {
            for (String table : BOTH) {
                s.execute(statement.formatted(table));
            }
        }
    }

    /** Runs statements as one transaction on each table. */
    void transactionOnBoth(String... statements) throws SQLException {
        db.setAutoCommit(false);
        try (Statement s = db.createStatement()) {
            for (String table : BOTH) {
                for (String statement : statements) {
                    s.execute(statement.formatted(table));
                }
                db.commit();
            }
        } finally {
            db.setAutoCommit(true);
        }
    }

    /** Sets a large column of a row to a new large value in both tables. */
    void setLarge(long id, String column) throws SQLException {
        Object value = column.equals("attachment") ? bytes(25_000) : text(12_000);
        for (String table : BOTH) {
            try (PreparedStatement update = db.prepareStatement("UPDATE " + table + " SET " + column + " = ? WHERE id = ?")) {
                update.setObject(1, value);
                update.setLong(2, id);
                update.executeUpdate();
            }
        }
    }

    /** Deletes a row and inserts it again with new values, in one transaction, in both tables. */
    void deleteAndReinsert(long id) throws SQLException {
        Object[] values = row(id, true);
        db.setAutoCommit(false);
        try {
            for (String table : BOTH) {
                try (Statement s = db.createStatement()) {
                    s.execute("DELETE FROM " + table + " WHERE id = " + id);
                }
                insert(table, values);
                db.commit();
            }
        } finally {
            db.setAutoCommit(true);
        }
    }

    /** Asks Debezium for an incremental snapshot of a table, through the signal table. */
    void incrementalSnapshot(String table) throws SQLException {
        try (PreparedStatement signal = db.prepareStatement("INSERT INTO " + SIGNALS + " VALUES (?, 'execute-snapshot', ?)")) {
            signal.setString(1, "backfill-" + ++signals);
            signal.setString(2, "{\"data-collections\": [\"public." + table + "\"], \"type\": \"incremental\"}");
            signal.executeUpdate();
        }
    }

    /** Every row of a table, by id, each as its column values (arrays as lists, jsonb as its text). */
    Map<Long, Map<String, Object>> rows(String table) throws SQLException {
        Map<Long, Map<String, Object>> rows = new LinkedHashMap<>();
        try (Statement s = db.createStatement();
             ResultSet result = s.executeQuery("SELECT " + COLUMNS.replace("meta", "meta::text AS meta") + " FROM "
                     + table + " ORDER BY id")) {
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (String column : COLUMNS.split(", ")) {
                    Object value = result.getObject(column);
                    if (value instanceof Array array) {
                        value = List.of((Object[]) array.getArray());
                    } else if (value instanceof Timestamp timestamp) {
                        value = timestamp.toInstant();
                    }
                    row.put(column, value);
                }
                rows.put(result.getLong("id"), row);
            }
        }
        return rows;
    }

    String text(int length) {
        StringBuilder text = new StringBuilder(length);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ";
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private String json(int length) {
        return "{\"notes\": \"" + text(length) + "\", \"rank\": " + random.nextInt(100) + ", \"flags\": [true, false]}";
    }

    private String[] tags(boolean large) {
        return large ? new String[] {text(3_000), "b", text(2_000)} : new String[] {"a", "b"};
    }

    private Integer[] scores(boolean large) {
        List<Integer> scores = new ArrayList<>();
        for (int i = 0; i < (large ? 1_500 : 3); i++) {
            scores.add(random.nextInt());
        }
        return scores.toArray(Integer[]::new);
    }
}
