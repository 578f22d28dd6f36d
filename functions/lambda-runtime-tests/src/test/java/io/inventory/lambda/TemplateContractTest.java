package io.inventory.lambda;

import static io.inventory.lambda.SamTemplate.list;
import static io.inventory.lambda.SamTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * template.yaml against the code it deploys and the project's rules: handlers that exist in their zips with the
 * right types, every environment variable the code reads set (and none set for nothing), least privilege, a
 * private TLS-only bucket, and queues that retry and dead-letter rather than drop.
 */
class TemplateContractTest {

    private static final String FUNCTION = "AWS::Serverless::Function";

    /** Each function in the template and the module that builds its zip. */
    private static final Map<String, String> MODULES = Map.of(
            "GatewayFunction", "functions/gateway",
            "WriterFunction", "functions/writer");

    /** Variables Lambda itself sets in every function's environment. */
    private static final Set<String> SET_BY_LAMBDA = Set.of("AWS_REGION", "AWS_DEFAULT_REGION",
            "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_LOG_FORMAT",
            "AWS_LAMBDA_LOG_LEVEL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "AWS_EXECUTION_ENV", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "TZ", "_HANDLER");

    private static SamTemplate template;

    @BeforeAll
    static void loadTemplate() throws IOException {
        template = SamTemplate.load(Repository.file("template.yaml"));
    }

    @Test
    void templateDeploysExactlyTheFunctionsThisProjectBuilds() {
        assertThat(template.resourcesOfType(FUNCTION)).containsExactlyInAnyOrderElementsOf(MODULES.keySet());
    }

    @Test
    void gatewayHandlerIsAStreamHandlerInItsZip() throws Exception {
        try (DeploymentZip zip = DeploymentZip.open(codeUri("GatewayFunction"))) {
            Class<?> handler = handlerClass(zip, "GatewayFunction");

            Class<?> streamHandler = zip.loadClass("com.amazonaws.services.lambda.runtime.RequestStreamHandler");
            Class<?> context = zip.loadClass("com.amazonaws.services.lambda.runtime.Context");
            assertThat(streamHandler.isAssignableFrom(handler)).as("%s implements RequestStreamHandler", handler)
                    .isTrue();
            assertThat(handler.getMethod(handlerMethod("GatewayFunction"),
                    InputStream.class, OutputStream.class, context)).isNotNull();
        }
    }

    @Test
    void writerHandlerTakesSqsEventsAndAnswersABatchResponse() throws Exception {
        try (DeploymentZip zip = DeploymentZip.open(codeUri("WriterFunction"))) {
            Class<?> handler = handlerClass(zip, "WriterFunction");

            Optional<ParameterizedType> requestHandler = genericInterface(handler,
                    "com.amazonaws.services.lambda.runtime.RequestHandler");
            assertThat(requestHandler).as("%s implements RequestHandler<I, O>", handler).isPresent();
            assertThat(requestHandler.get().getActualTypeArguments()).extracting(Type::getTypeName)
                    .containsExactly("com.amazonaws.services.lambda.runtime.events.SQSEvent",
                            "com.amazonaws.services.lambda.runtime.events.SQSBatchResponse");
            assertThat(zip.libraries()).as("the runtime's event serializer needs joda-time from the zip")
                    .anyMatch(jar -> jar.startsWith("joda-time-"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GatewayFunction", "WriterFunction"})
    void everyEnvironmentVariableTheCodeReadsIsSetByTheTemplate(String functionId) throws IOException {
        Set<String> read = EnvironmentVariableScan.variablesReadBy(Repository.file(MODULES.get(functionId)));
        Set<String> set = template.environment(functionId).keySet();

        read.removeAll(SET_BY_LAMBDA);
        assertThat(read).as("the scan finds the variables the function requires").isNotEmpty();
        assertThat(set).as("%s Environment.Variables", functionId).containsAll(read);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GatewayFunction", "WriterFunction"})
    void everyEnvironmentVariableTheTemplateSetsIsReadByTheCode(String functionId) throws IOException {
        Set<String> read = EnvironmentVariableScan.variablesReadBy(Repository.file(MODULES.get(functionId)));

        Set<String> set = new TreeSet<>(template.environment(functionId).keySet());

        assertThat(read).as("variables %s reads; a name set but never read is a typo or a leftover", functionId)
                .containsAll(set);
    }

    @Test
    void gatewayKnowsTheTaskQueueAndItsMessageSizeLimit() {
        Map<String, Object> env = template.environment("GatewayFunction");

        assertThat(template.referencedResource(env.get("TASK_QUEUE_URL"))).contains("TaskQueue");
        assertThat(number(env.get("MAX_MESSAGE_BYTES")))
                .isEqualTo(number(template.properties("TaskQueue").get("MaximumMessageSize")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GatewayFunction", "WriterFunction"})
    void functionsRunJava21WithSnapStartBehindAPublishedAliasAndLogJson(String functionId) {
        assertThat(template.functionProperty(functionId, "Runtime")).contains("java21");
        assertThat(template.functionProperty(functionId, "SnapStart").map(s -> map(s, "SnapStart").get("ApplyOn")))
                .contains("PublishedVersions");
        assertThat(template.functionProperty(functionId, "AutoPublishAlias")).isPresent();
        assertThat(template.functionProperty(functionId, "LoggingConfig")
                .map(config -> map(config, "LoggingConfig").get("LogFormat"))).contains("JSON");
        assertThat(template.functionProperty(functionId, "MemorySize")).isPresent();
        assertThat(template.functionProperty(functionId, "Timeout")).isPresent();
    }

    @Test
    void noAllowStatementHasAWildcardActionOrAResourceOutsideTheStack() {
        List<Map<String, Object>> statements = allowStatements();

        assertThat(statements).as("the template's Allow statements").isNotEmpty();
        for (Map<String, Object> statement : statements) {
            String sid = String.valueOf(statement.get("Sid"));
            assertThat(statement).as("statement %s", sid).doesNotContainKeys("NotAction", "NotResource");
            assertThat(list(statement.get("Action"))).as("actions of %s", sid)
                    .allSatisfy(action -> assertThat(String.valueOf(action)).doesNotContain("*"));
            assertThat(list(statement.get("Resource"))).as("resources of %s", sid)
                    .allSatisfy(resource -> assertThat(template.referencedResource(resource))
                            .as("%s is one of this stack's resources, not a literal or '*'", resource)
                            .isPresent());
        }
    }

    @Test
    void functionsRunAsTheirOwnRolesWithNoManagedPolicies() {
        for (String functionId : MODULES.keySet()) {
            Map<String, Object> properties = template.properties(functionId);

            // SAM's default role carries AWSLambdaBasicExecutionRole, whose log permissions are on "*".
            assertThat(template.referencedResource(properties.get("Role"))).as("%s Role", functionId).isPresent();
            assertThat(properties).as(functionId).doesNotContainKey("Policies");
        }
        for (String roleId : template.resourcesOfType("AWS::IAM::Role")) {
            assertThat(template.properties(roleId)).as(roleId).doesNotContainKeys("ManagedPolicyArns");
        }
    }

    @Test
    void gatewayMayOnlyQueueTasksAndReadCommandsFiles() {
        Map<String, List<Object>> grants = grants("GatewayRole");

        assertThat(grants).containsOnlyKeys("logs:CreateLogStream", "logs:PutLogEvents", "sqs:SendMessage",
                "s3:GetObject");
        assertThat(grants.get("sqs:SendMessage")).containsExactly(Map.of("Fn::GetAtt", List.of("TaskQueue", "Arn")));
        assertThat(grants.get("s3:GetObject"))
                .containsExactly(Map.of("Fn::Sub", "${InventoryBucket.Arn}/${CommandsPrefix}*"));
    }

    @Test
    void writerMayOnlyConsumeResultsAndWriteUnderItsPrefix() {
        Map<String, List<Object>> grants = grants("WriterRole");

        assertThat(grants).containsOnlyKeys("logs:CreateLogStream", "logs:PutLogEvents", "sqs:ReceiveMessage",
                "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "s3:GetObject",
                "s3:PutObject");
        for (String action : List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                "sqs:GetQueueAttributes")) {
            assertThat(grants.get(action)).as(action)
                    .containsExactly(Map.of("Fn::GetAtt", List.of("ResultQueue", "Arn")));
        }
        for (String action : List.of("s3:GetObject", "s3:PutObject")) {
            assertThat(grants.get(action)).as(action).isNotEmpty().allSatisfy(resource ->
                    assertThat(String.valueOf(map(resource, action).get("Fn::Sub")))
                            .startsWith("${InventoryBucket.Arn}/${KeyPrefix}"));
        }
    }

    @Test
    void bucketIsPrivateVersionedEncryptedAndTlsOnly() {
        Map<String, Object> bucket = template.properties("InventoryBucket");

        assertThat(map(bucket.get("PublicAccessBlockConfiguration"), "PublicAccessBlockConfiguration"))
                .containsAllEntriesOf(Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true));
        assertThat(map(bucket.get("VersioningConfiguration"), "VersioningConfiguration"))
                .containsEntry("Status", "Enabled");
        assertThat(bucket).containsKey("BucketEncryption");

        String policyId = template.resourcesOfType("AWS::S3::BucketPolicy").stream()
                .filter(id -> template.referencedResource(template.properties(id).get("Bucket"))
                        .equals(Optional.of("InventoryBucket")))
                .findFirst().orElseThrow(() -> new AssertionError("no bucket policy for InventoryBucket"));
        List<Map<String, Object>> statements = statements(template.properties(policyId).get("PolicyDocument"));
        assertThat(statements).anySatisfy(statement -> {
            assertThat(statement).containsEntry("Effect", "Deny").containsEntry("Principal", "*")
                    .containsEntry("Action", "s3:*");
            assertThat(statement.get("Condition"))
                    .isEqualTo(Map.of("Bool", Map.of("aws:SecureTransport", "false")));
            assertThat(list(statement.get("Resource"))).containsExactlyInAnyOrder(
                    Map.of("Fn::GetAtt", List.of("InventoryBucket", "Arn")),
                    Map.of("Fn::Sub", "${InventoryBucket.Arn}/*"));
        });
    }

    @Test
    void writerReportsBatchItemFailuresFromTheResultQueue() {
        Map<String, Object> results = sqsEvent("WriterFunction");

        assertThat(template.referencedResource(results.get("Queue"))).contains("ResultQueue");
        assertThat(list(results.get("FunctionResponseTypes"))).contains("ReportBatchItemFailures");
        assertThat(results).containsKeys("BatchSize", "MaximumBatchingWindowInSeconds");
    }

    @Test
    void resultQueueHidesAMessageForAtLeastSixWriterTimeouts() {
        String queueId = template.referencedResource(sqsEvent("WriterFunction").get("Queue")).orElseThrow();

        int visibility = number(template.properties(queueId).get("VisibilityTimeout"));
        int writerTimeout = number(template.functionProperty("WriterFunction", "Timeout").orElseThrow());

        assertThat(visibility).isGreaterThanOrEqualTo(6 * writerTimeout);
    }

    @Test
    void everyWorkQueueDeadLettersAfterABoundedNumberOfReceives() {
        for (String queueId : List.of("TaskQueue", "ResultQueue")) {
            Map<String, Object> redrive = map(template.properties(queueId).get("RedrivePolicy"), queueId);

            assertThat(template.referencedResource(redrive.get("deadLetterTargetArn"))).as(queueId)
                    .hasValueSatisfying(dlq -> assertThat(template.type(dlq)).isEqualTo("AWS::SQS::Queue"));
            assertThat(number(redrive.get("maxReceiveCount"))).as(queueId).isBetween(1, 1000);
        }
    }

    @Test
    void outputsGiveTheAgentAndTheProxyWhatTheyNeed() {
        Map<String, Object> outputs = template.section("Outputs");

        assertThat(outputs).containsKeys("TaskQueueUrl", "TaskQueueArn", "TaskDeadLetterQueueUrl", "ResultQueueUrl",
                "ResultQueueArn", "ResultDeadLetterQueueUrl", "BucketName", "GatewayFunctionName", "GatewayAliasArn",
                "WriterFunctionName", "WriterAliasArn", "AgentPolicyArn", "ProxyPolicyArn");
    }

    private static Path codeUri(String functionId) {
        Path zip = template.directory().resolve(String.valueOf(template.properties(functionId).get("CodeUri")));
        assertThat(zip).as("%s CodeUri; build it with ./mvnw -B package -DskipTests", functionId).isRegularFile();
        return zip;
    }

    private static Class<?> handlerClass(DeploymentZip zip, String functionId) throws ClassNotFoundException {
        String handler = String.valueOf(template.properties(functionId).get("Handler"));
        Class<?> type = zip.loadClass(handler.split("::", 2)[0]);

        // Lambda instantiates the handler through its public no-argument constructor.
        assertThat(Modifier.isPublic(type.getModifiers())).as("%s is public", type).isTrue();
        assertThat(type.getConstructors()).as("%s constructors", type)
                .anyMatch(constructor -> constructor.getParameterCount() == 0);
        return type;
    }

    private static String handlerMethod(String functionId) {
        String handler = String.valueOf(template.properties(functionId).get("Handler"));
        return handler.contains("::") ? handler.split("::", 2)[1] : "handleRequest";
    }

    private static Optional<ParameterizedType> genericInterface(Class<?> type, String rawName) {
        for (Class<?> current = type; current != null; current = current.getSuperclass()) {
            for (Type candidate : current.getGenericInterfaces()) {
                if (candidate instanceof ParameterizedType parameterized
                        && parameterized.getRawType().getTypeName().equals(rawName)) {
                    return Optional.of(parameterized);
                }
            }
        }
        return Optional.empty();
    }

    private static Map<String, Object> sqsEvent(String functionId) {
        Map<String, Object> events = map(template.properties(functionId).get("Events"), functionId + ".Events");
        return events.values().stream()
                .map(event -> map(event, "event"))
                .filter(event -> "SQS".equals(event.get("Type")))
                .map(event -> map(event.get("Properties"), "SQS event Properties"))
                .findFirst().orElseThrow(() -> new AssertionError(functionId + " has no SQS event"));
    }

    /** Every action a role allows, with the resources it allows it on. */
    private static Map<String, List<Object>> grants(String roleId) {
        Map<String, List<Object>> grants = new LinkedHashMap<>();
        for (Object policy : list(template.properties(roleId).get("Policies"))) {
            for (Map<String, Object> statement : statements(map(policy, roleId).get("PolicyDocument"))) {
                if (!"Allow".equals(statement.get("Effect"))) {
                    continue;
                }
                for (Object action : list(statement.get("Action"))) {
                    grants.computeIfAbsent(String.valueOf(action), a -> new ArrayList<>())
                            .addAll(list(statement.get("Resource")));
                }
            }
        }
        return grants;
    }

    private static List<Map<String, Object>> allowStatements() {
        List<Object> documents = new ArrayList<>();
        for (String id : template.resources().keySet()) {
            Map<String, Object> properties = template.properties(id);
            switch (template.type(id)) {
                case "AWS::IAM::Role" -> list(properties.getOrDefault("Policies", List.of()))
                        .forEach(policy -> documents.add(map(policy, id).get("PolicyDocument")));
                case "AWS::IAM::ManagedPolicy", "AWS::IAM::Policy", "AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy"
                        -> documents.add(properties.get("PolicyDocument"));
                default -> { }
            }
        }
        return documents.stream().flatMap(document -> statements(document).stream())
                .filter(statement -> "Allow".equals(statement.get("Effect")))
                .toList();
    }

    private static List<Map<String, Object>> statements(Object document) {
        return list(map(document, "PolicyDocument").get("Statement")).stream()
                .map(statement -> map(statement, "Statement"))
                .toList();
    }

    /** A number written as a number, a quoted number, or a Ref to a parameter with a default. */
    private static int number(Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value instanceof String text) {
            return Integer.parseInt(text.strip());
        }
        Object parameter = map(value, "value").get("Ref");
        return number(template.parameterDefault(String.valueOf(parameter))
                .orElseThrow(() -> new AssertionError("no default for parameter " + parameter)));
    }
}
