package io.streamoffload.connect.dynamodb.mapping;

import org.apache.kafka.connect.errors.ConnectException;

/** The configuration yields no legal table for a topic: every record of it would fail, so the task stops. */
public class UnwritableTopicException extends ConnectException {
    private static final long serialVersionUID = 1L;

    public UnwritableTopicException(String message, Throwable cause) {
        super(message, cause);
    }
}
