package io.streamoffload.connect.dynamodb.it.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Asks each DynamoDB implementation of the test stack (dynalite, the main one; moto, for TTL) the questions the
 * connector's correctness rests on, and compares its answers with DynamoDB's documented ones. Where an implementation
 * gives DynamoDB's answer, the end-to-end tests on it prove the connector against that behaviour. Where it does not,
 * the difference is listed here with the test that proves the connector's own check before sending (a unit test, since
 * no server here would catch a mistake), and the test fails if an answer changes either way. The table of differences
 * is also in docs/architecture.md, and this test keeps the two the same.
 */
@ExtendWith(InJvmStackExtension.class)
class DynamoDbConformanceIT {
    private static final String ACCEPTED = "accepted";
    private static final String REFUSED = "ValidationException";
    private static final String TESTS = "io.streamoffload.connect.dynamodb.";
    private static final String UNKNOWN = "UnknownOperationException";
    /** Where dynalite has no transactions, the scenarios with item.writes.batching=transactions run on moto. */
    private static final String ON_MOTO = "it.modes.InJvmTransactionalWriteModesIT#"
            + "offsetResetOutOfOrderVersionsAndRedeliveriesLeaveEveryItemAtItsNewestVersion (run on moto, as is "
            + "it.fault.TransactionalWriteModesUnderFaultsIT)";
    private static final String TOKEN = "writer.TransactionGroupsTest#"
            + "aTransactionWhoseAnswerIsLostGoesAgainWithItsTokenAndIsAppliedOnce (a fake that honours the token)";
    private static final Path TABLE_PAGE = Path.of("docs", "architecture.md");
    private static final String TABLE_START = "<!-- conformance table: written by DynamoDbConformanceIT -->";
    private static final String TABLE_END = "<!-- end of conformance table -->";

    /** One question: DynamoDB's documented answer, and how to ask it. */
    private record Behaviour(String question, String documented, Function<Probe, String> ask) {
    }

    /** An answer of an implementation that is not DynamoDB's, and where the connector's own check is proven. */
    private record Difference(String answer, String provenBy) {
    }

    private static final List<Behaviour> BEHAVIOURS = List.of(
            new Behaviour("BatchWriteItem of 26 requests", REFUSED, p -> p.batch(IntStream.range(0, 26)
                    .mapToObj(i -> p.put("batch-" + i)).toList())),
            new Behaviour("BatchWriteItem of 25 requests", ACCEPTED, p -> p.batch(IntStream.range(0, 25)
                    .mapToObj(i -> p.put("batch-" + i)).toList())),
            new Behaviour("two puts of one key in one BatchWriteItem", REFUSED,
                    p -> p.batch(List.of(p.put("twice"), p.put("twice")))),
            new Behaviour("a put and a delete of one key in one BatchWriteItem", REFUSED,
                    p -> p.batch(List.of(p.put("twice"), p.delete("twice")))),
            new Behaviour("item of exactly 409,600 bytes", ACCEPTED, p -> p.putItemOfSize(409_600)),
            new Behaviour("item of 409,601 bytes", REFUSED, p -> p.putItemOfSize(409_601)),
            new Behaviour("partition key of 2,048 bytes", ACCEPTED, p -> p.putKeyOfSize(2048)),
            new Behaviour("partition key of 2,049 bytes", REFUSED, p -> p.putKeyOfSize(2049)),
            new Behaviour("sort key of 1,024 bytes", ACCEPTED, p -> p.putSortKeyOfSize(1024)),
            new Behaviour("sort key of 1,025 bytes", REFUSED, p -> p.putSortKeyOfSize(1025)),
            new Behaviour("number of 38 significant digits", ACCEPTED, p -> p.putNumber("1." + "2".repeat(37))),
            new Behaviour("number of 39 significant digits", REFUSED, p -> p.putNumber("1." + "2".repeat(38))),
            new Behaviour("number 9.99...9E+125 (38 digits)", ACCEPTED, p -> p.putNumber("9." + "9".repeat(37) + "E+125")),
            new Behaviour("number 1E+126", REFUSED, p -> p.putNumber("1E+126")),
            new Behaviour("number 1E-130", ACCEPTED, p -> p.putNumber("1E-130")),
            new Behaviour("number 1E-131", REFUSED, p -> p.putNumber("1E-131")),
            new Behaviour("item holding 31 nested maps (32 levels)", ACCEPTED, p -> p.putNested(31)),
            new Behaviour("item holding 32 nested maps (33 levels)", REFUSED, p -> p.putNested(32)),
            new Behaviour("empty string in a non-key attribute", ACCEPTED,
                    p -> p.putItem(Map.of("pk", AttributeValue.fromS("empty"), "v", AttributeValue.fromS("")))),
            new Behaviour("empty string as the partition key", REFUSED,
                    p -> p.putItem(Map.of("pk", AttributeValue.fromS("")))),
            new Behaviour("string set with a duplicate", REFUSED, p -> p.putItem(Map.of("pk", AttributeValue.fromS("set"),
                    "v", AttributeValue.fromSs(List.of("a", "a"))))),
            new Behaviour("PutItem whose condition fails", "ConditionalCheckFailedException", Probe::conditionFails),
            new Behaviour("UpdateItem whose condition fails", "ConditionalCheckFailedException", Probe::updateConditionFails),
            new Behaviour("UpdateItem with an expression attribute value it does not use", REFUSED,
                    p -> p.update("SET #a = :a", Map.of("#a", "a"), Map.of(":a", AttributeValue.fromN("1"),
                            ":unused", AttributeValue.fromN("2")))),
            new Behaviour("UpdateItem naming a reserved word (status) without a placeholder", REFUSED,
                    p -> p.update("SET status = :a", Map.of(), Map.of(":a", AttributeValue.fromS("x")))),
            new Behaviour("UpdateItem whose expression is 3.9 KB", ACCEPTED, p -> p.updateOfLength(3_900)),
            new Behaviour("UpdateItem whose expression is over 4 KB", REFUSED, p -> p.updateOfLength(4_200)),
            // what batches of conditional writes would rest on (TransactWriteItems): asked before any is sent
            new Behaviour("TransactWriteItems of two puts", ACCEPTED, p -> p.transact(List.of(p.transactPut("t-1", null),
                    p.transactPut("t-2", null)), null)),
            new Behaviour("TransactWriteItems of 101 puts", REFUSED, p -> p.transact(IntStream.range(0, 101)
                    .mapToObj(i -> p.transactPut("t-many-" + i, null)).toList(), null)),
            new Behaviour("TransactWriteItems of two writes to one item", REFUSED, p -> p.transact(List.of(
                    p.transactPut("t-twice", null), p.transactPut("t-twice", null)), null)),
            new Behaviour("TransactWriteItems whose second condition fails: the reasons, in order",
                    "TransactionCanceledException [None, ConditionalCheckFailed]", Probe::transactionConditionFails),
            new Behaviour("TransactWriteItems sent twice with one ClientRequestToken", "applied once",
                    Probe::transactionRepeated),
            new Behaviour("CreateTable answers", "CREATING", Probe::createTableStatus),
            new Behaviour("UpdateTimeToLive, then DescribeTimeToLive", "ENABLED or ENABLING", Probe::timeToLive));

    /**
     * Where each implementation answers otherwise. BatchExecuteStatement (PartiQL), which dynalite lacks, is not asked:
     * the connector never calls it. Neither implementation throttles or returns UnprocessedItems by itself: the fault
     * suite injects those through FaultProxy.
     */
    private static final Map<String, Map<String, Difference>> DIFFERENCES = Map.of(
            "dynalite", Map.of(
                    "item holding 32 nested maps (33 levels)", new Difference(ACCEPTED,
                            "mapping.AttributeConverterTest#nestingDeeperThanThirtyTwoLevelsCountingTheItemIsRejected"),
                    "UpdateItem whose expression is over 4 KB", new Difference(ACCEPTED,
                            "writer.ItemRequestsTest#anUpdateExpressionOverDynamoDbsLimitIsRefusedWithTheReason"),
                    "UpdateTimeToLive, then DescribeTimeToLive", new Difference("UnknownOperationException",
                            "it.SinkScenarios#tableIsCreatedWithConfiguredKeySchemaAndTtl (run on moto)"),
                    "TransactWriteItems of two puts", new Difference(UNKNOWN, ON_MOTO),
                    "TransactWriteItems of 101 puts", new Difference(UNKNOWN,
                            "writer.TransactionGroupsTest#aRoundsWritesGoTogetherInTransactionsOfAtMostAHundred"),
                    "TransactWriteItems of two writes to one item", new Difference(UNKNOWN,
                            "writer.TransactionGroupsTest#writesThatFollowTheWritesOfAnEndedTransactionGoTogetherInTheNext"),
                    "TransactWriteItems whose second condition fails: the reasons, in order",
                    new Difference(UNKNOWN, ON_MOTO),
                    "TransactWriteItems sent twice with one ClientRequestToken", new Difference(UNKNOWN, TOKEN)),
            "moto", Map.ofEntries(
                    Map.entry("BatchWriteItem of 26 requests", new Difference(ACCEPTED,
                            "writer.BatchPlannerTest#batchesHoldAtMostTheConfiguredNumberOfRequestsPerTable")),
                    Map.entry("a put and a delete of one key in one BatchWriteItem", new Difference(ACCEPTED,
                            "writer.BatchPlannerTest#lastWritePerKeyWinsSoATombstoneAfterAPutBecomesADelete")),
                    Map.entry("item of exactly 409,600 bytes", new Difference(REFUSED,
                            "mapping.RecordMapperTest#itemOverFourHundredKilobytesIsRejectedWithItsSize")),
                    Map.entry("number of 39 significant digits", new Difference(ACCEPTED,
                            "mapping.AttributeConverterTest#numbersBeyondThirtyEightDigitsOrOutOfRangeAreRejected")),
                    Map.entry("number 1E+126", new Difference(ACCEPTED,
                            "mapping.AttributeConverterTest#numbersBeyondThirtyEightDigitsOrOutOfRangeAreRejected")),
                    Map.entry("item holding 32 nested maps (33 levels)", new Difference(ACCEPTED,
                            "mapping.AttributeConverterTest#nestingDeeperThanThirtyTwoLevelsCountingTheItemIsRejected")),
                    Map.entry("UpdateItem whose expression is 3.9 KB", new Difference("HTTP 500",
                            "none needed: the update expressions the scenarios send to moto stay far below 3.9 KB")),
                    Map.entry("UpdateItem whose expression is over 4 KB", new Difference("HTTP 500",
                            "writer.ItemRequestsTest#anUpdateExpressionOverDynamoDbsLimitIsRefusedWithTheReason")),
                    Map.entry("string set with a duplicate", new Difference(ACCEPTED,
                            "none needed: the connector writes arrays as lists (L), never as sets")),
                    Map.entry("TransactWriteItems sent twice with one ClientRequestToken", new Difference(
                            "applied 2 times", TOKEN)),
                    Map.entry("CreateTable answers", new Difference("ACTIVE",
                            "none needed: the connector waits while a table is CREATING, which every table it creates "
                                    + "on dynalite exercises"))));

    private final InJvmStack stack;

    DynamoDbConformanceIT(InJvmStack stack) {
        this.stack = stack;
    }

    @Test
    void eachImplementationGivesDynamoDbsAnswersOrADifferenceListedWithTheTestThatCoversIt() throws Exception {
        Map<String, URI> implementations = new LinkedHashMap<>();
        implementations.put("dynalite", stack.dynamoDbEndpoint());
        implementations.put("moto", stack.moto().endpoint());
        Map<String, Map<String, String>> answers = new LinkedHashMap<>();
        for (var implementation : implementations.entrySet()) {
            try (DynamoDbClient client = stack.newDynamoDbClient(implementation.getValue())) {
                Probe probe = new Probe(client, "conformance-" + implementation.getKey() + "-" + System.nanoTime());
                Map<String, String> answered = new LinkedHashMap<>();
                for (Behaviour behaviour : BEHAVIOURS) {
                    answered.put(behaviour.question(), behaviour.ask().apply(probe));
                }
                answers.put(implementation.getKey(), answered);
            }
        }
        System.out.println("[conformance] question | DynamoDB | " + String.join(" | ", implementations.keySet()));
        BEHAVIOURS.forEach(b -> System.out.println("[conformance] " + b.question() + " | " + b.documented() + " | "
                + String.join(" | ", answers.values().stream().map(a -> a.get(b.question())).toList())));

        List<String> unexpected = new ArrayList<>();
        answers.forEach((implementation, answered) -> BEHAVIOURS.forEach(b -> {
            Difference known = DIFFERENCES.get(implementation).get(b.question());
            String expected = known == null ? b.documented() : known.answer();
            if (!matches(answered.get(b.question()), expected)) {
                unexpected.add(implementation + ": " + b.question() + ": answered " + answered.get(b.question())
                        + ", expected " + expected + (known == null ? " (DynamoDB's answer)" : " (a known difference)"));
            }
        }));
        assertThat(unexpected).as("answers that changed: update DIFFERENCES, and the table in " + TABLE_PAGE).isEmpty();
        DIFFERENCES.values().forEach(differences -> differences.values().forEach(d -> assertProofExists(d.provenBy())));
        assertThat(readmeTable()).as("the table of differences in " + TABLE_PAGE + " (between its markers)")
                .isEqualTo(differencesTable(stack.dynalite().version(), majorVersion(stack.moto().version())));
    }

    /** moto is not pinned (it comes with the machines' Python), only its major version is checked; dynalite is. */
    private static String majorVersion(String version) {
        return version.split("\\.")[0];
    }

    private static boolean matches(String answer, String expected) {
        return expected.contains(" or ") ? Arrays.asList(expected.split(" or ")).contains(answer) : expected.equals(answer);
    }

    /** A proof named as {@code package.Class#method}, or a reason that starts with "none needed". */
    private static void assertProofExists(String provenBy) {
        if (provenBy.startsWith("none needed")) {
            return;
        }
        String reference = provenBy.split(" ")[0];
        String className = TESTS + reference.substring(0, reference.indexOf('#'));
        String method = reference.substring(reference.indexOf('#') + 1);
        try {
            boolean found = false;
            for (Class<?> type = Class.forName(className); type != null && !found; type = type.getSuperclass()) {
                found = Arrays.stream(type.getDeclaredMethods()).map(Method::getName).anyMatch(method::equals);
            }
            assertThat(found).as("test method " + reference).isTrue();
        } catch (ClassNotFoundException e) {
            throw new AssertionError("no test class " + className, e);
        }
    }

    static String differencesTable(String dynaliteVersion, String motoVersion) {
        StringBuilder table = new StringBuilder("| question | DynamoDB | dynalite " + dynaliteVersion + " | moto "
                + motoVersion + " | the connector's own check, proven by |\n|---|---|---|---|---|\n");
        for (Behaviour b : BEHAVIOURS) {
            Difference dynalite = DIFFERENCES.get("dynalite").get(b.question());
            Difference moto = DIFFERENCES.get("moto").get(b.question());
            if (dynalite == null && moto == null) {
                continue;
            }
            String proof = (dynalite != null ? dynalite : moto).provenBy();
            table.append("| ").append(b.question()).append(" | ").append(b.documented()).append(" | ")
                    .append(dynalite == null ? "same" : "**" + dynalite.answer() + "**").append(" | ")
                    .append(moto == null ? "same" : "**" + moto.answer() + "**").append(" | ")
                    .append(proofCell(proof)).append(" |\n");
        }
        return table.toString();
    }

    private static String proofCell(String provenBy) {
        if (provenBy.startsWith("none needed")) {
            return provenBy;
        }
        int space = provenBy.indexOf(' ');
        return space < 0 ? "`" + provenBy + "`" : "`" + provenBy.substring(0, space) + "`" + provenBy.substring(space);
    }

    private static String readmeTable() throws Exception {
        String readme = Files.readString(TABLE_PAGE, StandardCharsets.UTF_8);
        int start = readme.indexOf(TABLE_START);
        int end = readme.indexOf(TABLE_END);
        assertThat(start).as(TABLE_PAGE + " marker " + TABLE_START).isNotNegative();
        assertThat(end).as(TABLE_PAGE + " marker " + TABLE_END).isGreaterThan(start);
        return readme.substring(start + TABLE_START.length(), end).strip() + "\n";
    }

    /** Asks one implementation, in tables of its own. */
    private static final class Probe {
        private final DynamoDbClient client;
        private final String table;
        private final String sortedTable;
        private int tables;

        Probe(DynamoDbClient client, String table) {
            this.client = client;
            this.table = table;
            this.sortedTable = table + "-sorted";
            Tables.createKeyedByString(client, table, "pk");
            client.createTable(r -> r.tableName(sortedTable).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE))
                    .attributeDefinitions(d -> d.attributeName("pk").attributeType(ScalarAttributeType.S),
                            d -> d.attributeName("sk").attributeType(ScalarAttributeType.S)));
            Tables.awaitActive(client, sortedTable);
        }

        WriteRequest put(String pk) {
            return WriteRequest.builder().putRequest(p -> p.item(Map.of("pk", AttributeValue.fromS(pk)))).build();
        }

        WriteRequest delete(String pk) {
            return WriteRequest.builder().deleteRequest(d -> d.key(Map.of("pk", AttributeValue.fromS(pk)))).build();
        }

        String batch(List<WriteRequest> writes) {
            return answer(() -> client.batchWriteItem(r -> r.requestItems(Map.of(table, writes))));
        }

        String putItem(Map<String, AttributeValue> item) {
            return answer(() -> client.putItem(r -> r.tableName(table).item(item)));
        }

        /** Attribute names and values count: "pk" (2) + "k" (1) + "v" (1) + the string. */
        String putItemOfSize(int bytes) {
            return putItem(Map.of("pk", AttributeValue.fromS("k"), "v", AttributeValue.fromS("x".repeat(bytes - 4))));
        }

        String putKeyOfSize(int bytes) {
            return putItem(Map.of("pk", AttributeValue.fromS("k".repeat(bytes))));
        }

        String putSortKeyOfSize(int bytes) {
            return answer(() -> client.putItem(r -> r.tableName(sortedTable).item(Map.of(
                    "pk", AttributeValue.fromS("k"), "sk", AttributeValue.fromS("s".repeat(bytes))))));
        }

        String putNumber(String number) {
            return putItem(Map.of("pk", AttributeValue.fromS("number"), "v", AttributeValue.fromN(number)));
        }

        String putNested(int maps) {
            AttributeValue value = AttributeValue.fromS("leaf");
            for (int i = 0; i < maps; i++) {
                value = AttributeValue.fromM(Map.of("m", value));
            }
            return putItem(Map.of("pk", AttributeValue.fromS("nested"), "v", value));
        }

        String update(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
            return answer(() -> client.updateItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("update")))
                    .updateExpression(expression).expressionAttributeNames(names.isEmpty() ? null : names)
                    .expressionAttributeValues(values)));
        }

        /** SET of distinct attributes, #a0 = :v, #a1 = :v, ..., to at least {@code length} characters. */
        String updateOfLength(int length) {
            StringBuilder expression = new StringBuilder("SET ");
            Map<String, String> names = new LinkedHashMap<>();
            for (int i = 0; expression.length() < length; i++) {
                expression.append(i == 0 ? "" : ", ").append("#a").append(i).append(" = :v");
                names.put("#a" + i, "a" + i);
            }
            return update(expression.toString(), names, Map.of(":v", AttributeValue.fromN("1")));
        }

        String conditionFails() {
            putItem(Map.of("pk", AttributeValue.fromS("condition")));
            return answer(() -> client.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("condition")))
                    .conditionExpression("attribute_not_exists(pk)")));
        }

        String updateConditionFails() {
            putItem(Map.of("pk", AttributeValue.fromS("condition"), "version", AttributeValue.fromN("5")));
            return answer(() -> client.updateItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("condition")))
                    .updateExpression("SET #v = :v").conditionExpression("attribute_not_exists(#v) OR #v < :v")
                    .expressionAttributeNames(Map.of("#v", "version"))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN("4")))));
        }

        /** A put of one key, on condition that no version of at least {@code version} is stored (null: none). */
        TransactWriteItem transactPut(String pk, Integer version) {
            return TransactWriteItem.builder().put(p -> {
                p.tableName(table).item(version == null ? Map.of("pk", AttributeValue.fromS(pk))
                        : Map.of("pk", AttributeValue.fromS(pk), "version", AttributeValue.fromN(version.toString())));
                if (version != null) {
                    p.conditionExpression("attribute_not_exists(#v) OR #v < :v")
                            .expressionAttributeNames(Map.of("#v", "version"))
                            .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(version.toString())));
                }
            }).build();
        }

        String transact(List<TransactWriteItem> writes, String token) {
            return answer(() -> client.transactWriteItems(r -> r.transactItems(writes).clientRequestToken(token)));
        }

        String transactionConditionFails() {
            putItem(Map.of("pk", AttributeValue.fromS("t-newer"), "version", AttributeValue.fromN("5")));
            try {
                client.transactWriteItems(r -> r.transactItems(transactPut("t-older-free", 1), transactPut("t-newer", 4)));
                return ACCEPTED;
            } catch (TransactionCanceledException e) {
                return errorCode(e) + " " + (e.hasCancellationReasons()
                        ? e.cancellationReasons().stream().map(CancellationReason::code).toList() : "without reasons");
            } catch (DynamoDbException e) {
                return errorCode(e);
            }
        }

        /** An update adding 1 to a counter, sent twice with one token: DynamoDB applies it once (within 10 minutes). */
        String transactionRepeated() {
            TransactWriteItem add = TransactWriteItem.builder().update(u -> u.tableName(table)
                    .key(Map.of("pk", AttributeValue.fromS("t-counter"))).updateExpression("ADD #c :one")
                    .expressionAttributeNames(Map.of("#c", "count"))
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).build();
            String token = "conformance-" + System.nanoTime();
            String first = transact(List.of(add), token);
            String second = transact(List.of(add), token);
            if (!first.equals(ACCEPTED) || !second.equals(ACCEPTED)) {
                return first.equals(ACCEPTED) ? second : first;
            }
            String count = client.getItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("t-counter")))
                    .consistentRead(true)).item().get("count").n();
            return count.equals("1") ? "applied once" : "applied " + count + " times";
        }

        String createTableStatus() {
            String name = table + "-created-" + (++tables);
            return client.createTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                    .attributeDefinitions(d -> d.attributeName("pk").attributeType(ScalarAttributeType.S)))
                    .tableDescription().tableStatusAsString();
        }

        String timeToLive() {
            try {
                client.updateTimeToLive(r -> r.tableName(table).timeToLiveSpecification(s -> s.enabled(true).attributeName("expires")));
                var ttl = client.describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription();
                return "expires".equals(ttl.attributeName()) ? ttl.timeToLiveStatusAsString() : "attribute " + ttl.attributeName();
            } catch (DynamoDbException e) {
                return errorCode(e);
            }
        }

        private static String answer(Runnable call) {
            try {
                call.run();
                return ACCEPTED;
            } catch (DynamoDbException e) {
                return errorCode(e);
            }
        }

        private static String errorCode(DynamoDbException e) {
            return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                    ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
        }
    }
}
