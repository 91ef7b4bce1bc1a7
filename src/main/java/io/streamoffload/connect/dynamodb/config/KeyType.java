package io.streamoffload.connect.dynamodb.config;

import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The DynamoDB scalar type of a key attribute. */
public enum KeyType {
    S, N, B;

    public ScalarAttributeType scalarType() {
        return ScalarAttributeType.fromValue(name());
    }
}
