package io.inventory.lambda;

import static io.inventory.lambda.SamTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.inventory.codec.InvalidMessageException;
import io.inventory.codec.ProtoJson;
import io.inventory.proto.FleetIndex;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryTask;
import io.inventory.proto.RejectedLine;
import io.inventory.proto.RunResponse;
import io.inventory.proto.TaskAssignment;
import io.inventory.queue.QueueMessageCodec;
import io.inventory.testing.S3Emulator;
import io.inventory.testing.SqsEmulator;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The zips template.yaml deploys, with the handler, memory, timeout, log format and environment it gives them,
 * run by the real Lambda runtime client against emulated SQS and S3 and fed every sample in events/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeployedFunctionsTest {

    /** The samples the tests below feed to the functions; a new sample must get a test too. */
    private static final List<String> EXERCISED_EVENTS =
            List.of("results-poison.json", "results.json", "run-s3.json", "run.json");

    private SamTemplate template;
    private SqsEmulator sqs;
    private S3Emulator s3;
    private String taskQueueUrl;
    private String bucket;

    @BeforeAll
    void startEmulators() throws IOException {
        template = SamTemplate.load(Repository.file("template.yaml"));
        sqs = SqsEmulator.start();
        s3 = S3Emulator.start();

        taskQueueUrl = sqs.createQueueWithDeadLetter(parameter("TaskQueueName"),
                Integer.parseInt(parameter("MaxReceiveCount")), 30).url();

        // The bucket and key events/run-s3.json names, holding the sample commands file.
        URI commandsUri = URI.create(event("run-s3.json").get("commands_uri").getAsString());
        bucket = commandsUri.getHost();
        s3.createBucket(bucket);
        s3.client().putObject(b -> b.bucket(bucket).key(commandsUri.getPath().substring(1)),
                RequestBody.fromFile(Repository.file("events/weekly.txt")));
    }

    @AfterAll
    void stopEmulators() {
        s3.close();
        sqs.close();
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Gateway {

        private LambdaRuntimeHarness gateway;

        @BeforeAll
        void startGateway() {
            gateway = startFunction("GatewayFunction");
        }

        @AfterAll
        void stopGateway() {
            gateway.close();
        }

        @Test
        void inlineRunQueuesEveryValidLineAndReportsTheInvalidOne() throws Exception {
            JsonObject request = event("run.json");

            LambdaResponse answer = gateway.invoke(request.toString());

            assertThat(answer.isError()).as(answer.payload()).isFalse();
            RunResponse response = ProtoJson.parse(answer.payload(), RunResponse.newBuilder());
            assertThat(response.getOk()).isFalse();
            assertThat(response.getErrorCode()).isEqualTo("LINES_REJECTED");
            assertThat(response.getRunId()).isEqualTo(request.get("run_id").getAsString());
            assertThat(response.getAccepted()).isEqualTo(3);
            assertThat(response.getTasksList()).extracting(TaskAssignment::getLine).containsExactly(2, 3, 5);
            assertThat(response.getTasksList()).allMatch(TaskAssignment::getQueued);
            assertThat(response.getRejectedList()).singleElement().satisfies(rejected -> {
                assertThat(rejected.getLine()).isEqualTo(4);
                assertThat(rejected.getText()).isEqualTo("inventory os bios");
                assertThat(rejected.getReason()).contains("bios");
            });
            assertThat(tasksOnTheQueue(response.getRunId(), 3)).extracting(InventoryTask::getTaskId)
                    .containsExactlyInAnyOrderElementsOf(
                            response.getTasksList().stream().map(TaskAssignment::getTaskId).toList());
        }

        @Test
        void s3RunReadsTheCommandsFileFromTheBucket() throws Exception {
            LambdaResponse answer = gateway.invoke(event("run-s3.json").toString());

            assertThat(answer.isError()).as(answer.payload()).isFalse();
            RunResponse response = ProtoJson.parse(answer.payload(), RunResponse.newBuilder());
            assertThat(response.getOk()).as(response.getError()).isTrue();
            assertThat(response.getAccepted()).isEqualTo(3);
            assertThat(response.getRejectedList()).extracting(RejectedLine::getLine).isEmpty();
            assertThat(tasksOnTheQueue(response.getRunId(), 3)).extracting(InventoryTask::getSource)
                    .containsOnly("weekly.txt");
        }

        @Test
        void requestThatIsNotJsonGetsATypedAnswerNotAnException() throws Exception {
            LambdaResponse answer = gateway.invoke("\"inventory\"");

            assertThat(answer.isError()).as(answer.payload()).isFalse();
            RunResponse response = ProtoJson.parse(answer.payload(), RunResponse.newBuilder());
            assertThat(response.getOk()).isFalse();
            assertThat(response.getErrorCode()).isEqualTo("INVALID_REQUEST");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Writer {

        private LambdaRuntimeHarness writer;

        @BeforeAll
        void startWriter() {
            writer = startFunction("WriterFunction");
        }

        @AfterAll
        void stopWriter() {
            writer.close();
        }

        @Test
        void resultsAreStoredAndNoMessageIsRetried() throws Exception {
            LambdaResponse answer = writer.invoke(event("results.json").toString());

            assertThat(answer.isError()).as(answer.payload()).isFalse();
            assertThat(batchItemFailures(answer)).isEmpty();
            InventoryDocument collected = stored("hosts/ws-0042/payload.json", InventoryDocument.newBuilder());
            assertThat(collected.getStatus()).isEqualTo("ok");
            assertThat(collected.getHost().getName()).isEqualTo("WS-0042");
            assertThat(collected.getProgramsCount()).isEqualTo(2);
            InventoryDocument failed = stored("hosts/ws-0043/payload.json", InventoryDocument.newBuilder());
            assertThat(failed.getStatus()).isEqualTo("error");
            assertThat(failed.getLastError().getCode()).isEqualTo("COLLECTION_FAILED");
            FleetIndex index = stored("payload.json", FleetIndex.newBuilder());
            assertThat(index.getHostsMap()).containsKeys("ws-0042", "ws-0043");
        }

        @Test
        void poisonMessageIsReportedForRetryWhileTheGoodOneIsStored() throws Exception {
            JsonObject event = event("results-poison.json");
            String poisonId = event.getAsJsonArray("Records").get(1).getAsJsonObject()
                    .get("messageId").getAsString();

            LambdaResponse answer = writer.invoke(event.toString());

            assertThat(answer.isError()).as(answer.payload()).isFalse();
            assertThat(batchItemFailures(answer)).containsExactly(poisonId);
            InventoryDocument good = stored("hosts/ws-0044/payload.json", InventoryDocument.newBuilder());
            assertThat(good.getStatus()).isEqualTo("ok");
        }

        @Test
        void functionLogsAreJsonLines() {
            writer.invoke(event("results.json").toString());

            List<String> lines = writer.output().lines().filter(line -> !line.isBlank()).toList();
            assertThat(lines).isNotEmpty().allSatisfy(line ->
                    assertThat(JsonParser.parseString(line).isJsonObject()).as("a JSON log line: %s", line).isTrue());
            assertThat(lines).anyMatch(line -> line.contains("\"level\":\"INFO\""));
        }

        private List<String> batchItemFailures(LambdaResponse answer) {
            JsonArray failures = JsonParser.parseString(answer.payload()).getAsJsonObject()
                    .getAsJsonArray("batchItemFailures");
            return StreamSupport.stream(failures.spliterator(), false)
                    .map(failure -> failure.getAsJsonObject().get("itemIdentifier").getAsString())
                    .toList();
        }

        private <T extends com.google.protobuf.Message> T stored(String key,
                com.google.protobuf.Message.Builder type) throws InvalidMessageException {
            String fullKey = parameter("KeyPrefix") + key;
            String json = s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(fullKey)).asUtf8String();
            return ProtoJson.parse(json, type);
        }
    }

    @Test
    void everySampleEventIsFedToAFunction() throws IOException {
        List<String> samples;
        try (Stream<Path> files = Files.list(Repository.file("events"))) {
            samples = files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".json"))
                    .sorted().toList();
        }

        assertThat(samples).containsExactlyElementsOf(EXERCISED_EVENTS);
    }

    /** Starts a function's zip as the template configures it, with its references pointed at the emulators. */
    private LambdaRuntimeHarness startFunction(String functionId) {
        Map<String, Object> properties = template.properties(functionId);
        Map<String, Object> logging = map(template.functionProperty(functionId, "LoggingConfig").orElseThrow(),
                "LoggingConfig");

        Map<String, String> environment = new LinkedHashMap<>(resolvedEnvironment(functionId));
        // The SDK's own endpoint variables: the functions' code runs unchanged, as deployed.
        environment.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint().toString());
        environment.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());

        return LambdaRuntimeHarness.builder(codeUri(properties), String.valueOf(properties.get("Handler")))
                .functionName(functionId)
                .memoryMb(number(template.functionProperty(functionId, "MemorySize").orElseThrow()))
                .timeout(Duration.ofSeconds(number(template.functionProperty(functionId, "Timeout").orElseThrow())))
                .logFormat(String.valueOf(logging.get("LogFormat")))
                .region(SqsEmulator.REGION.id())
                // s3proxy checks these signatures and knows no session tokens.
                .credentials(S3Emulator.CREDENTIALS.resolveCredentials().accessKeyId(),
                        S3Emulator.CREDENTIALS.resolveCredentials().secretAccessKey(), null)
                .environment(environment)
                .start();
    }

    /** The template's Environment.Variables with parameters at their defaults and resources at the emulators. */
    private Map<String, String> resolvedEnvironment(String functionId) {
        Map<String, String> emulated = Map.of("TaskQueue", taskQueueUrl, "InventoryBucket", bucket);
        Map<String, String> resolved = new LinkedHashMap<>();
        template.environment(functionId).forEach((name, value) -> {
            if (!(value instanceof Map<?, ?>)) {
                resolved.put(name, String.valueOf(value));
                return;
            }
            String reference = String.valueOf(map(value, name).get("Ref"));
            String resolvedValue = template.parameterDefault(reference).map(String::valueOf)
                    .orElseGet(() -> emulated.get(reference));
            assertThat(resolvedValue).as("%s: %s", name, value).isNotNull();
            resolved.put(name, resolvedValue);
        });
        return resolved;
    }

    private List<InventoryTask> tasksOnTheQueue(String runId, int expected) {
        List<InventoryTask> tasks = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (Message message : sqs.client().receiveMessage(b -> b.queueUrl(taskQueueUrl)
                    .maxNumberOfMessages(10).waitTimeSeconds(1).messageAttributeNames("All")).messages()) {
                InventoryTask task = QueueMessageCodec.decode(message.body(),
                        attribute(message, QueueMessageCodec.CONTENT_ENCODING), InventoryTask.newBuilder());
                assertThat(attribute(message, "task_id")).isEqualTo(task.getTaskId());
                if (task.getRunId().equals(runId)) {
                    tasks.add(task);
                }
                sqs.client().deleteMessage(b -> b.queueUrl(taskQueueUrl).receiptHandle(message.receiptHandle()));
            }
            return tasks.size() >= expected;
        });
        assertThat(tasks).hasSize(expected);
        return tasks;
    }

    private static String attribute(Message message, String name) {
        MessageAttributeValue value = message.messageAttributes().get(name);
        return value == null ? null : value.stringValue();
    }

    private Path codeUri(Map<String, Object> properties) {
        return template.directory().resolve(String.valueOf(properties.get("CodeUri")));
    }

    private String parameter(String name) {
        return String.valueOf(template.parameterDefault(name).orElseThrow());
    }

    private int number(Object value) {
        return value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value));
    }

    private static JsonObject event(String name) {
        try {
            String json = Files.readString(Repository.file("events/" + name), StandardCharsets.UTF_8);
            JsonElement parsed = JsonParser.parseString(json);
            return parsed.getAsJsonObject();
        } catch (IOException e) {
            throw new AssertionError("cannot read events/" + name, e);
        }
    }
}
