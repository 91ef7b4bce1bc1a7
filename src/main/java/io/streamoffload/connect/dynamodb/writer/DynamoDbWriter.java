package io.streamoffload.connect.dynamodb.writer;

import io.streamoffload.connect.dynamodb.mapping.WriteOperation;
import java.util.List;

/** Writes one round of operations to DynamoDB, in record order per key, within the retry budget. */
public interface DynamoDbWriter extends AutoCloseable {
    /**
     * Writes all operations, returning when each is durable (or superseded), rejected, or still pending at the end
     * of the budget. No write is in flight when this returns, and a write to a key never lands before an earlier one.
     */
    WriteOutcome write(List<WriteOperation> operations);

    @Override
    void close();
}
