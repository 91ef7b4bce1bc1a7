package io.streamoffload.connect.dynamodb.it.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The least-privilege IAM policies shipped in {@code config/}, checked against the calls the connector and the
 * lifecycle tool really make: every operation a fault proxy saw must be allowed, so a policy cannot fall behind the code.
 */
public final class IamPolicy {
    static final Path WITH_OFFLOAD = Path.of("config", "iam-policy-sink-offload.json");
    public static final Path WITH_OFFLOAD_KMS = Path.of("config", "iam-policy-sink-offload-kms.json");
    public static final Path OFFLOAD_TOOL = Path.of("config", "iam-policy-offload-tool.json");

    private IamPolicy() {
    }

    public static Set<String> actions(Path policy) {
        try {
            Set<String> actions = new TreeSet<>();
            for (JsonNode statement : new ObjectMapper().readTree(policy.toFile()).get("Statement")) {
                JsonNode action = statement.get("Action");
                if (action.isArray()) {
                    action.forEach(a -> actions.add(a.asText()));
                } else {
                    actions.add(action.asText());
                }
            }
            return actions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The IAM action an API operation needs, where S3 names them apart. */
    public static String actionFor(String service, String operation) {
        return service + ":" + switch (operation) {
            case "HeadObject" -> "GetObject";
            case "ListObjectsV2" -> "ListBucket";
            case "DeleteObjects" -> "DeleteObject";
            // IAM has no action of its own for it: each write is authorised as the PutItem, UpdateItem or DeleteItem
            case "TransactWriteItems" -> "PutItem";
            default -> operation;
        };
    }
}
