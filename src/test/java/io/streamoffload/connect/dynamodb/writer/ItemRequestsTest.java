package io.streamoffload.connect.dynamodb.writer;

import static io.streamoffload.connect.dynamodb.testutil.Records.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

class ItemRequestsTest {
    private static final Map<String, AttributeValue> KEY = Map.of("pk", AttributeValue.fromS("k"));

    private static WriteOperation update(Map<String, AttributeValue> attributes) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(KEY);
        item.putAll(attributes);
        return WriteOperation.of(WriteOperation.Kind.UPDATE, "tbl", KEY, item, record("tbl", 0, 1, "k", null),
                CompletableFuture.completedFuture(null), 0);
    }

    @Test
    void anUpdateSetsWhatTheRecordCarriesRemovesItsNullsAndNeverTouchesTheKey() {
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("status", AttributeValue.fromS("done"));
        attributes.put("title", AttributeValue.fromNul(true));
        attributes.put("a.b", AttributeValue.fromN("1"));
        UpdateItemRequest request = new ItemRequests(Optional.empty(), true, Optional.empty()).update(update(attributes));

        assertThat(request.key()).isEqualTo(KEY);
        assertThat(request.updateExpression()).isEqualTo("SET #0 = :0, #2 = :2 REMOVE #1");
        assertThat(request.expressionAttributeNames()).containsExactlyInAnyOrderEntriesOf(
                Map.of("#0", "status", "#1", "title", "#2", "a.b"));
        assertThat(request.expressionAttributeValues()).containsOnlyKeys(":0", ":2");
        assertThat(request.conditionExpression()).isNull();

        UpdateItemRequest keep = new ItemRequests(Optional.empty(), false, Optional.empty()).update(update(attributes));
        assertThat(keep.updateExpression()).isEqualTo("SET #0 = :0, #1 = :1, #2 = :2");
        assertThat(keep.expressionAttributeValues().get(":1").nul()).isTrue();
    }

    @Test
    void aVersionedWriteAppliesOnlyOverNoVersionOrAnOlderOne() {
        ItemRequests requests = new ItemRequests(Optional.of("rev"), true, Optional.empty());
        WriteOperation write = update(Map.of("rev", AttributeValue.fromN("5"))).versioned(AttributeValue.fromN("5"));
        UpdateItemRequest update = requests.update(write);
        assertThat(update.conditionExpression()).isEqualTo("attribute_not_exists(#version) OR #version < :version");
        assertThat(update.expressionAttributeNames()).containsEntry("#version", "rev");
        assertThat(update.expressionAttributeValues()).containsEntry(":version", AttributeValue.fromN("5"));

        WriteOperation delete = WriteOperation.delete("tbl", KEY, record("tbl", 0, 2, "k", null))
                .versioned(AttributeValue.fromN("6"));
        assertThat(requests.delete(delete).conditionExpression()).contains("#version < :version");
        assertThat(requests.put(WriteOperation.put("tbl", KEY, KEY, record("tbl", 0, 3, "k", null))
                .versioned(AttributeValue.fromN("7"))).expressionAttributeValues()).containsEntry(":version",
                AttributeValue.fromN("7"));
        var snapshot = requests.put(WriteOperation.put("tbl", KEY, KEY, record("tbl", 0, 4, "k", null))
                .whereUnversioned());
        assertThat(snapshot.conditionExpression()).isEqualTo("attribute_not_exists(#version)");
        assertThat(snapshot.expressionAttributeNames()).containsEntry("#version", "rev");
        assertThat(snapshot.hasExpressionAttributeValues()).isFalse();
    }

    @Test
    void anUpdateExpressionOverDynamoDbsLimitIsRefusedWithTheReason() {
        Map<String, AttributeValue> many = new LinkedHashMap<>();
        for (int i = 0; i < 600; i++) {
            many.put("field" + i, AttributeValue.fromN("1"));
        }
        assertThatThrownBy(() -> new ItemRequests(Optional.empty(), true, Optional.empty()).update(update(many)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("600 attributes")
                .hasMessageContaining("4096 bytes per expression");
    }

    @Test
    void aChangeLackingColumnsUpdatesOnlyAnExistingItemAndOneItCreatesListsThem() {
        ItemRequests requests = new ItemRequests(Optional.of("rev"), false, Optional.of("_missing"));
        WriteOperation change = update(Map.of("title", AttributeValue.fromS("t"), "rev", AttributeValue.fromN("9")))
                .leaving(java.util.Set.of("body")).versioned(AttributeValue.fromN("9"));

        UpdateItemRequest update = requests.update(change);
        assertThat(update.conditionExpression())
                .isEqualTo("attribute_exists(#key) AND (attribute_not_exists(#version) OR #version < :version)");
        assertThat(update.expressionAttributeNames()).containsEntry("#key", "pk").containsEntry("#unavailable", "_missing");
        assertThat(update.updateExpression()).doesNotContain("REMOVE").endsWith("DELETE #unavailable :carried");
        assertThat(update.expressionAttributeValues().get(":carried").ss()).as("no longer missing, if listed")
                .containsExactlyInAnyOrder("title", "rev");

        UpdateItemRequest create = requests.createWithout(change);
        assertThat(create.conditionExpression()).as("where no item is; one written meanwhile is updated instead")
                .isEqualTo("attribute_not_exists(#key)");
        assertThat(create.updateExpression()).contains("#unavailable = :unavailable");
        assertThat(create.expressionAttributeValues().get(":unavailable").ss()).containsExactly("body");

        // a whole row in update mode drops the list; a snapshot row applies where the item lists missing columns
        UpdateItemRequest whole = requests.update(update(Map.of("title", AttributeValue.fromS("t"))).whereUnversioned());
        assertThat(whole.updateExpression()).endsWith("REMOVE #unavailable");
        assertThat(whole.conditionExpression())
                .isEqualTo("attribute_not_exists(#version) OR attribute_exists(#unavailable)");
        assertThat(whole.expressionAttributeNames()).containsEntry("#unavailable", "_missing");
    }
}
