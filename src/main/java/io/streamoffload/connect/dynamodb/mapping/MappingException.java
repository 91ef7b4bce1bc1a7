package io.streamoffload.connect.dynamodb.mapping;

/**
 * A record cannot become a DynamoDB item: the reason names the attribute and the rule broken.
 * The caller adds the record's coordinates; this class never holds payload data.
 */
public class MappingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MappingException(String reason) {
        super(reason, null, false, false);
    }
}
