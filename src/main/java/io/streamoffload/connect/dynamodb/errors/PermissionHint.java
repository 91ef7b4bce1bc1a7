package io.streamoffload.connect.dynamodb.errors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For access AWS denied: the action and resource its message names, and the statements of the IAM policies shipped in
 * {@code config/} (inside the jar too) that grant that action, so that a user learns from one message what to add to
 * which policy. Read from the very files users copy, so the hint cannot drift from them.
 */
public final class PermissionHint {
    /** AWS's "... is not authorized to perform: dynamodb:PutItem on resource: arn:... because ...". */
    private static final Pattern ACTION = Pattern.compile("perform: ([A-Za-z0-9-]+:[A-Za-z0-9]+)");
    private static final Pattern RESOURCE = Pattern.compile("on resource: ([^\\s,]+)");
    static final List<String> POLICIES = List.of("iam-policy-sink.json", "iam-policy-sink-offload.json",
            "iam-policy-sink-offload-kms.json", "iam-policy-offload-tool.json");
    private static final String RESOURCE_DIR = "/io/streamoffload/connect/dynamodb/iam/";
    private static volatile Map<String, JsonNode> policies;

    private PermissionHint() {
    }

    /**
     * @param awsMessage the message of an AccessDenied answer
     * @return e.g. "Grant dynamodb:PutItem on arn:aws:dynamodb:...:table/t: statement 'WriteItems...' of
     *     config/iam-policy-sink.json, config/iam-policy-sink-offload.json grants it"; empty when the message names no
     *     action
     */
    public static Optional<String> of(String awsMessage) {
        if (awsMessage == null) {
            return Optional.empty();
        }
        Matcher action = ACTION.matcher(awsMessage);
        if (!action.find()) {
            return Optional.empty();
        }
        Matcher resource = RESOURCE.matcher(awsMessage);
        String on = resource.find() ? " on " + resource.group(1) : "";
        Map<String, List<String>> granting = grantingStatements(action.group(1));
        List<String> statements = new ArrayList<>();
        granting.forEach((sid, files) -> statements.add("statement '" + sid + "' of config/"
                + String.join(", config/", files)));
        return Optional.of("Grant " + action.group(1) + on + (statements.isEmpty()
                ? ": no policy in config/ grants it" : ": " + String.join("; ", statements) + " grants it"));
    }

    /** The statements of the shipped policies that allow {@code action}: each Sid, with the files that hold it. */
    static Map<String, List<String>> grantingStatements(String action) {
        Map<String, List<String>> granting = new LinkedHashMap<>();
        policies().forEach((file, policy) -> {
            for (JsonNode statement : policy.path("Statement")) {
                JsonNode actions = statement.path("Action");
                boolean grants = actions.isArray() ? contains(actions, action) : action.equals(actions.asText());
                if (grants && "Allow".equals(statement.path("Effect").asText())) {
                    granting.computeIfAbsent(statement.path("Sid").asText(), sid -> new ArrayList<>()).add(file);
                }
            }
        });
        return granting;
    }

    private static boolean contains(JsonNode actions, String action) {
        for (JsonNode a : actions) {
            if (action.equals(a.asText())) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, JsonNode> policies() {
        if (policies == null) {
            ObjectMapper json = new ObjectMapper();
            Map<String, JsonNode> read = new LinkedHashMap<>();
            for (String file : POLICIES) {
                try (InputStream in = PermissionHint.class.getResourceAsStream(RESOURCE_DIR + file)) {
                    if (in != null) {
                        read.put(file, json.readTree(in));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("the IAM policy " + file + " in the connector's jar", e);
                }
            }
            policies = read;
        }
        return policies;
    }
}
