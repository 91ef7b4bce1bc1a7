package io.streamoffload.connect.dynamodb.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * A sink that drops every record after touching each value (a hash over all of it, so that nothing is optimised
 * away): run in the same worker, with the same converters and tasks as the connector, it measures what Kafka Connect
 * itself costs per record. The benchmark installs it as a plugin of its own ({@link PipelineBenchmark#nullSinkPlugin}).
 */
public final class NullSinkConnector extends SinkConnector {
    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        this.props = props;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return NullSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            configs.add(props);
        }
        return configs;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef();
    }

    @Override
    public String version() {
        return "benchmark";
    }

    /** Drops the records; the worker's own metrics ({@code sink-record-send-total}) count them. */
    public static final class NullSinkTask extends SinkTask {
        /** Read by no one; written so that hashing each value cannot be left out. */
        static volatile int sink;

        @Override
        public void start(Map<String, String> props) {
        }

        @Override
        public void put(Collection<SinkRecord> records) {
            int hash = 0;
            for (SinkRecord record : records) {
                hash = 31 * hash + Objects.hashCode(record.key()) + Objects.hashCode(record.value());
            }
            sink = hash;
        }

        @Override
        public void stop() {
        }

        @Override
        public String version() {
            return "benchmark";
        }
    }
}
