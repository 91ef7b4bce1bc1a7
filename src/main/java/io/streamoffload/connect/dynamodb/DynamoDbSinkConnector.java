package io.streamoffload.connect.dynamodb;

import io.streamoffload.connect.dynamodb.aws.AwsClientFactory;
import io.streamoffload.connect.dynamodb.config.ConfigProblem;
import io.streamoffload.connect.dynamodb.offload.store.OffloadBucketCheck;
import io.streamoffload.connect.dynamodb.retry.Sleeper;
import io.streamoffload.connect.dynamodb.table.TableManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Kafka Connect sink that writes records to DynamoDB. The work happens in {@link DynamoDbSinkTask}. */
public class DynamoDbSinkConnector extends SinkConnector {
    private static final Logger log = LoggerFactory.getLogger(DynamoDbSinkConnector.class);
    /** Added to each task's config so that its metrics have a stable name. */
    static final String TASK_ID = "task.id";
    /** The worker's own setting (ConnectorConfig.TRANSFORMS_CONFIG); the runtime is not on a plugin's classpath. */
    private static final String TRANSFORMS_CONFIG = "transforms";

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        DynamoDbSinkConfig config = new DynamoDbSinkConfig(props);
        config.offload().ifPresent(offload -> {
            try (S3Client s3 = AwsClientFactory.s3(config.s3Connection(), 1)) {
                OffloadBucketCheck.run(s3, offload);
            }
        });
        Set<String> names = tablesKnownAtStart(config, props);
        if (names.isEmpty()) {
            log.info("DynamoDB sink started; tables are checked by the tasks as records arrive");
            return;
        }
        // Fail fast, with the reason in the connector's status, when a table is missing or its keys differ
        try (DynamoDbClient client = AwsClientFactory.dynamoDb(config.dynamoDbConnection(), 1)) {
            TableManager tables = TableManager.forConfig(client, config, config.retryPolicy(Clock.systemUTC(), Sleeper.THREAD));
            for (String table : names) {
                tables.ensure(table);
            }
            log.info("DynamoDB sink ready: tables {}", names);
        }
    }

    /**
     * The tables records will go to, where the config alone tells: a fixed table name, or one per topic listed in
     * {@code topics}. Not when topics come from {@code topics.regex}, nor when transforms may rename topics before
     * records reach the task (RegexRouter and the like): checking the tables of the names in {@code topics} would then
     * check, or create, tables nothing is written to. The tasks check each table as its first records arrive.
     */
    static Set<String> tablesKnownAtStart(DynamoDbSinkConfig config, Map<String, String> props) {
        if (!config.tableNameFormat().isPerTopic()) {
            return Set.of(config.tableNameFormat().tableFor(""));
        }
        String topics = props.getOrDefault(SinkTask.TOPICS_CONFIG, "").trim();
        boolean transformed = !props.getOrDefault(TRANSFORMS_CONFIG, "").isBlank();
        if (topics.isEmpty() || transformed) {
            return Set.of();
        }
        return Arrays.stream(topics.split(",")).map(String::trim).filter(t -> !t.isEmpty())
                .map(config.tableNameFormat()::tableFor).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Override
    public Class<? extends Task> taskClass() {
        return DynamoDbSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> task = new HashMap<>(props);
            task.put(TASK_ID, Integer.toString(i));
            configs.add(task);
        }
        return configs;
    }

    @Override
    public void stop() {
        // nothing held between start and stop
    }

    @Override
    public ConfigDef config() {
        return DynamoDbSinkConfig.CONFIG_DEF;
    }

    /**
     * Reports every broken rule on the settings involved, so the REST validate endpoint shows each one next to its
     * field. Rules across several settings are checked among the settings that are valid on their own (the others are
     * read at their defaults, and a rule involving one of them is not reported, since its value is not known); this
     * never throws.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        Map<String, ConfigValue> byName = config.configValues().stream()
                .collect(Collectors.toMap(ConfigValue::name, v -> v));
        Set<String> invalid = config.configValues().stream()
                .filter(v -> DynamoDbSinkConfig.CONFIG_DEF.names().contains(v.name()) && !v.errorMessages().isEmpty())
                .map(ConfigValue::name).collect(Collectors.toSet());
        Map<String, String> validOnly = new HashMap<>(connectorConfigs);
        validOnly.keySet().removeAll(invalid);
        List<ConfigProblem> problems;
        try {
            problems = DynamoDbSinkConfig.forValidation(validOnly).problems();
        } catch (RuntimeException e) {
            log.warn("Could not check the relations between settings: {}", e.toString());
            return config;
        }
        for (ConfigProblem problem : problems) {
            if (problem.keys().stream().anyMatch(invalid::contains)) {
                continue;
            }
            for (String key : problem.keys()) {
                ConfigValue value = byName.get(key);
                if (value != null) {
                    value.addErrorMessage(problem.message());
                }
            }
        }
        return config;
    }
}
