package io.streamoffload.connect.dynamodb.table;

import static io.streamoffload.connect.dynamodb.testutil.FakeDynamoDb.serviceError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamoffload.connect.dynamodb.config.KeySource;
import io.streamoffload.connect.dynamodb.config.KeySpec;
import io.streamoffload.connect.dynamodb.config.KeyType;
import io.streamoffload.connect.dynamodb.retry.Backoff;
import io.streamoffload.connect.dynamodb.retry.RetryPolicy;
import io.streamoffload.connect.dynamodb.retry.TransientRetry;
import io.streamoffload.connect.dynamodb.testutil.FakeDynamoDb;
import io.streamoffload.connect.dynamodb.testutil.FakeTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class TableManagerTest {
    private final FakeDynamoDb dynamo = new FakeDynamoDb();
    private final FakeTime time = new FakeTime();

    private TableManager tables(Duration budget) {
        TransientRetry retry = new TransientRetry(new RetryPolicy(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1),
                bound -> bound), budget, time, time::advance));
        return new TableManager(dynamo, List.of(partitionKey()), false, Optional.empty(), Duration.ofSeconds(5), retry);
    }

    private static KeySpec partitionKey() {
        return new KeySpec(KeySpec.Role.PARTITION, "pk", KeySource.RECORD_KEY, Optional.empty(), KeyType.S);
    }

    @Test
    void throttlingAndServerErrorsWhileCheckingATableAreRetried() {
        dynamo.thenFailDescribe(serviceError("ThrottlingException", 400))
                .thenFailDescribe(serviceError("InternalServerError", 500));
        tables(Duration.ofSeconds(10)).ensure("orders");
        assertThat(dynamo.describeCalls.get()).isEqualTo(3);
    }

    @Test
    void deniedAccessIsNotRetriedAndNamesTheTable() {
        dynamo.thenFailDescribe(serviceError("AccessDeniedException", 400));
        assertThatThrownBy(() -> tables(Duration.ofSeconds(10)).ensure("orders"))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("Could not check DynamoDB table orders")
                .hasMessageContaining("AccessDeniedException (HTTP 400)");
        assertThat(dynamo.describeCalls.get()).isEqualTo(1);
    }

    @Test
    void retriesStopWhenTheBudgetIsSpent() {
        for (int i = 0; i < 20; i++) {
            dynamo.thenFailDescribe(serviceError("InternalServerError", 500));
        }
        assertThatThrownBy(() -> tables(Duration.ofMillis(1000)).ensure("orders"))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("InternalServerError (HTTP 500)");
        // waits of 100, 200, 400 ms fit in the budget; the next (800 ms) would not
        assertThat(dynamo.describeCalls.get()).isEqualTo(4);
    }

    @Test
    void anUpdatingTableTakesWritesAtOnce() {
        dynamo.withTableStatus(software.amazon.awssdk.services.dynamodb.model.TableStatus.UPDATING);
        tables(Duration.ofSeconds(10)).ensure("orders");
        assertThat(dynamo.describeCalls.get()).as("no waiting for ACTIVE").isEqualTo(1);
    }

    @Test
    void aTableBeingDeletedIsRefusedWithTheReason() {
        dynamo.withTableStatus(software.amazon.awssdk.services.dynamodb.model.TableStatus.DELETING);
        assertThatThrownBy(() -> tables(Duration.ofSeconds(10)).ensure("orders"))
                .isInstanceOf(ConnectException.class).hasMessageContaining("orders is being deleted");
    }

    /** A table still being created when the wait ends is a state that passes: the failure is a transient one. */
    @Test
    void aTableStillCreatingAfterTheTimeoutIsATransientFailure() {
        dynamo.withTableStatus(software.amazon.awssdk.services.dynamodb.model.TableStatus.CREATING);
        TransientRetry retry = new TransientRetry(new RetryPolicy(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1),
                bound -> bound), Duration.ofSeconds(10), time, time::advance));
        TableManager tables = new TableManager(dynamo, List.of(partitionKey()), false, Optional.empty(),
                Duration.ofSeconds(1), retry);
        assertThatThrownBy(() -> tables.ensure("orders")).isInstanceOf(ConnectException.class)
                .hasMessageContaining("orders was not created within PT1S (status CREATING)")
                .satisfies(e -> assertThat(io.streamoffload.connect.dynamodb.errors.ErrorClassifier.classify(e.getCause()))
                        .isEqualTo(io.streamoffload.connect.dynamodb.errors.ErrorClassifier.Disposition.RETRY));
    }
}
