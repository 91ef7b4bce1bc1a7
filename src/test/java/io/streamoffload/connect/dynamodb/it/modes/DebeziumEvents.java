package io.streamoffload.connect.dynamodb.it.modes;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Change events of a {@code customers(id int, name text)} table in the exact shape Debezium's PostgreSQL connector
 * writes them: {@code before}, {@code after}, {@code source} (with {@code lsn} and {@code ts_ms}), {@code op},
 * {@code ts_ms}; as JSON with or without the schema, and as Avro.
 */
final class DebeziumEvents {
    /** One event; {@code op} null for a tombstone. */
    record Event(String op, int id, String before, String after, long lsn) {
    }

    static Event read(int id, String name, long lsn) {
        return new Event("r", id, null, name, lsn);
    }

    static Event create(int id, String name, long lsn) {
        return new Event("c", id, null, name, lsn);
    }

    static Event update(int id, String before, String after, long lsn) {
        return new Event("u", id, before, after, lsn);
    }

    static Event delete(int id, String before, long lsn) {
        return new Event("d", id, before, null, lsn);
    }

    static Event tombstone(int id) {
        return new Event(null, id, null, null, 0);
    }

    private static final String ROW_SCHEMA = "{\"type\":\"struct\",\"optional\":true,\"name\":\"dbserver1.public.customers.Value\","
            + "\"fields\":[{\"field\":\"id\",\"type\":\"int32\",\"optional\":false},"
            + "{\"field\":\"name\",\"type\":\"string\",\"optional\":true}],\"field\":\"%s\"}";
    private static final String JSON_SCHEMA = "{\"type\":\"struct\",\"optional\":false,"
            + "\"name\":\"dbserver1.public.customers.Envelope\",\"version\":2,\"fields\":["
            + ROW_SCHEMA.formatted("before") + "," + ROW_SCHEMA.formatted("after") + ","
            + "{\"type\":\"struct\",\"optional\":false,\"name\":\"io.debezium.connector.postgresql.Source\",\"field\":\"source\","
            + "\"fields\":[{\"field\":\"version\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"connector\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"name\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"ts_ms\",\"type\":\"int64\",\"optional\":false},"
            + "{\"field\":\"db\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"schema\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"table\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"lsn\",\"type\":\"int64\",\"optional\":true}]},"
            + "{\"field\":\"op\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"ts_ms\",\"type\":\"int64\",\"optional\":true}]}";

    static final Schema AVRO_SCHEMA = new Schema.Parser().parse("""
            {"type":"record","name":"Envelope","namespace":"dbserver1.public.customers","fields":[
              {"name":"before","type":["null",{"type":"record","name":"Value","fields":[
                {"name":"id","type":"int"},{"name":"name","type":["null","string"],"default":null}]}],"default":null},
              {"name":"after","type":["null","Value"],"default":null},
              {"name":"source","type":{"type":"record","name":"Source","namespace":"io.debezium.connector.postgresql",
                "fields":[{"name":"version","type":"string"},{"name":"connector","type":"string"},
                  {"name":"name","type":"string"},{"name":"ts_ms","type":"long"},{"name":"db","type":"string"},
                  {"name":"schema","type":"string"},{"name":"table","type":"string"},
                  {"name":"lsn","type":["null","long"],"default":null}]}},
              {"name":"op","type":"string"},
              {"name":"ts_ms","type":["null","long"],"default":null}]}
            """);

    private DebeziumEvents() {
    }

    static String json(Event e, boolean withSchema) {
        String payload = "{\"before\":" + row(e.id(), e.before()) + ",\"after\":" + row(e.id(), e.after())
                + ",\"source\":{\"version\":\"3.0.0.Final\",\"connector\":\"postgresql\",\"name\":\"dbserver1\","
                + "\"ts_ms\":" + (1_700_000_000_000L + e.lsn()) + ",\"db\":\"inventory\",\"schema\":\"public\","
                + "\"table\":\"customers\",\"lsn\":" + e.lsn() + "},\"op\":\"" + e.op() + "\",\"ts_ms\":"
                + (1_700_000_000_100L + e.lsn()) + "}";
        return withSchema ? "{\"schema\":" + JSON_SCHEMA + ",\"payload\":" + payload + "}" : payload;
    }

    private static String row(int id, String name) {
        return name == null ? "null" : "{\"id\":" + id + ",\"name\":\"" + name + "\"}";
    }

    static GenericRecord avro(Event e) {
        Schema rowSchema = AVRO_SCHEMA.getField("before").schema().getTypes().get(1);
        GenericRecord source = new GenericData.Record(AVRO_SCHEMA.getField("source").schema());
        source.put("version", "3.0.0.Final");
        source.put("connector", "postgresql");
        source.put("name", "dbserver1");
        source.put("ts_ms", 1_700_000_000_000L + e.lsn());
        source.put("db", "inventory");
        source.put("schema", "public");
        source.put("table", "customers");
        source.put("lsn", e.lsn());
        GenericRecord event = new GenericData.Record(AVRO_SCHEMA);
        event.put("before", avroRow(rowSchema, e.id(), e.before()));
        event.put("after", avroRow(rowSchema, e.id(), e.after()));
        event.put("source", source);
        event.put("op", e.op());
        event.put("ts_ms", 1_700_000_000_100L + e.lsn());
        return event;
    }

    private static GenericRecord avroRow(Schema schema, int id, String name) {
        if (name == null) {
            return null;
        }
        GenericRecord row = new GenericData.Record(schema);
        row.put("id", id);
        row.put("name", name);
        return row;
    }
}
