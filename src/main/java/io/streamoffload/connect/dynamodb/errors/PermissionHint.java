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
    /** The resource, quoted in S3's newer messages. */
    private static final Pattern RESOURCE = Pattern.compile("on resource: \"?([^\\s,;\"]+)");
    /** Where the connector keeps garbage-collection marks and parked dead letters, apart from offloaded objects. */
    private static final String RESERVED_PREFIX = "_dynamodb-offload/";
    private static final Pattern PLACEHOLDER_OR_STAR = Pattern.compile("[A-Z][A-Z_]+|\\*");
    static final List<String> POLICIES = List.of("iam-policy-sink.json", "iam-policy-sink-offload.json",
            "iam-policy-sink-offload-kms.json", "iam-policy-offload-tool.json", "iam-trust-policy-assume-role.json");
    private static final String RESOURCE_DIR = "/io/streamoffload/connect/dynamodb/iam/";
    private static volatile Map<String, JsonNode> policies;

    private PermissionHint() {
    }

    /**
     * @param awsMessage the message of an AccessDenied answer
     * @return e.g. "Grant dynamodb:PutItem on arn:aws:dynamodb:...:table/t: statement 'WriteItems...' of
     *     config/iam-policy-sink.json, config/iam-policy-sink-offload.json grants it", one such sentence for each action
     *     the message names; empty when it names none
     */
    public static Optional<String> of(String awsMessage) {
        if (awsMessage == null) {
            return Optional.empty();
        }
        List<String> hints = new ArrayList<>();
        Matcher action = ACTION.matcher(awsMessage);
        List<int[]> spans = new ArrayList<>();
        while (action.find()) {
            spans.add(new int[] {action.start(1), action.end(1)});
        }
        for (int i = 0; i < spans.size(); i++) {
            // the resource of an action is the one named after it and before the next action
            int end = i + 1 < spans.size() ? spans.get(i + 1)[0] : awsMessage.length();
            Matcher resource = RESOURCE.matcher(awsMessage).region(spans.get(i)[1], end);
            String hint = forAction(awsMessage.substring(spans.get(i)[0], spans.get(i)[1]),
                    resource.find() ? resource.group(1) : null);
            if (!hints.contains(hint)) {
                hints.add(hint);
            }
        }
        if (hints.isEmpty()) {
            return Optional.empty();
        }
        String hint = String.join(". ", hints);
        // an explicit deny (a service control policy, a permissions boundary, a session or resource policy) overrides
        // every Allow: adding the statement would change nothing
        return Optional.of(awsMessage.contains("explicit deny") ? "An explicit deny refuses it, in the policy AWS's "
                + "message names; no Allow overrides a deny, so that deny must change (for reference: " + hint + ")"
                : hint);
    }

    /**
     * For a refusal whose answer names nothing (a HEAD's 403 has no body): the action the call needed.
     *
     * @param resource the ARN the call was on, or null
     */
    public static String forAction(String action, String resource) {
        String on = resource == null ? "" : " on " + resource;
        Map<String, List<String>> granting = grantingStatements(action, resource);
        if (granting.isEmpty() && resource != null) {
            granting = grantingStatements(action, null);
        }
        List<String> statements = new ArrayList<>();
        granting.forEach((sid, files) -> statements.add("statement '" + sid + "' of config/"
                + String.join(", config/", files)));
        String hint = "Grant " + action + on + (statements.isEmpty()
                ? ": no policy in config/ grants it" : ": " + String.join("; ", statements) + " grants it");
        // a role is assumed when its trust policy lets the caller in, and across accounts the caller's own policy too
        return action.equals("sts:AssumeRole") ? hint + ", naming this identity as its principal and the connector's "
                + "*.assume.role.external.id as sts:ExternalId; and across accounts, this identity's own policy must "
                + "allow sts:AssumeRole on the role too" : hint;
    }

    /**
     * The statements of the shipped policies that allow {@code action} on {@code resource} (any resource when null;
     * the policies' placeholders match anything): each Sid, with the files that hold it.
     */
    static Map<String, List<String>> grantingStatements(String action, String resource) {
        Map<String, List<String>> granting = new LinkedHashMap<>();
        policies().forEach((file, policy) -> {
            for (JsonNode statement : policy.path("Statement")) {
                JsonNode actions = statement.path("Action");
                boolean grants = actions.isArray() ? contains(actions, action) : action.equals(actions.asText());
                if (grants && "Allow".equals(statement.path("Effect").asText())
                        && (resource == null || covers(statement.path("Resource"), resource))) {
                    granting.computeIfAbsent(statement.path("Sid").asText(), sid -> new ArrayList<>()).add(file);
                }
            }
        });
        return granting;
    }

    private static boolean covers(JsonNode resources, String resource) {
        for (JsonNode pattern : resources.isArray() ? resources : List.of(resources)) {
            if (glob(pattern.asText()).matcher(resource).matches()) {
                return true;
            }
        }
        return false;
    }

    /**
     * A policy's resource as a pattern: "*" and the upper-case placeholders match anything, except that BUCKET is one
     * bucket and KEY_PREFIX (the start of offload.key.template) is never the connector's own _dynamodb-offload/.
     */
    private static Pattern glob(String resource) {
        StringBuilder regex = new StringBuilder();
        Matcher part = PLACEHOLDER_OR_STAR.matcher(resource);
        int at = 0;
        while (part.find()) {
            regex.append(Pattern.quote(resource.substring(at, part.start()))).append(switch (part.group()) {
                case "BUCKET" -> "[^/]+";
                // the connector keeps its marks and parked dead letters apart from the objects it names
                case "KEY_PREFIX" -> "(?!" + Pattern.quote(RESERVED_PREFIX) + ").*";
                default -> ".*";
            });
            at = part.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(resource.substring(at))).toString());
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
