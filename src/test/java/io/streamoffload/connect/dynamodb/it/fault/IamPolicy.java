package io.streamoffload.connect.dynamodb.it.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The least-privilege IAM policy shipped in {@code config/}, checked against the calls the connector really makes: every
 * operation a fault proxy saw must be allowed by it, so the policy cannot fall behind the code.
 */
final class IamPolicy {
    static final Path WITH_OFFLOAD = Path.of("config", "iam-policy-sink-offload.json");

    private IamPolicy() {
    }

    static Set<String> actions(Path policy) {
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

    /** The IAM action an API operation needs: HeadObject is authorised as s3:GetObject. */
    static String actionFor(String service, String operation) {
        return service + ":" + (operation.equals("HeadObject") ? "GetObject" : operation);
    }
}
