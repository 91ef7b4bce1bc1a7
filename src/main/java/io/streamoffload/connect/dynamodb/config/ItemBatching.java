package io.streamoffload.connect.dynamodb.config;

/** How single-item writes travel ({@code item.writes.batching}). */
public enum ItemBatching implements ConfigChoice {
    /** A call per write: PutItem, UpdateItem, DeleteItem. */
    NONE,
    /** Writes that are under way at once go together in TransactWriteItems calls, at twice the write units. */
    TRANSACTIONS
}
