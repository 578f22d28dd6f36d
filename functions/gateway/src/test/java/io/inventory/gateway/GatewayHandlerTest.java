package io.inventory.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.inventory.codec.InvalidMessageException;
import io.inventory.codec.ProtoJson;
import io.inventory.proto.RunRequest;
import io.inventory.proto.RunResponse;
import io.inventory.proto.TaskAssignment;
import io.inventory.testing.SqsEmulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;

class GatewayHandlerTest {

    private static SqsEmulator sqs;
    private static S3Client unusedS3;

    private String queueUrl;
    private GatewayHandler gateway;

    @BeforeAll
    static void startEmulator() {
        sqs = SqsEmulator.start();
        unusedS3 = S3Client.builder().region(SqsEmulator.REGION).credentialsProvider(SqsEmulator.CREDENTIALS)
                .endpointOverride(URI.create("http://127.0.0.1:9")).httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    @AfterAll
    static void stopEmulator() {
        unusedS3.close();
        sqs.close();
    }

    @BeforeEach
    void createQueue() {
        queueUrl = sqs.createQueue("tasks-" + UUID.randomUUID(), 600);
        gateway = new GatewayHandler(sqs.client(), unusedS3, quickRetries(GatewaySettings.forQueue(queueUrl)));
    }

    @AfterEach
    void closeGateway() throws Exception {
        gateway.close();
    }

    @Test
    void queuesExactlyOneTaskPerInventoryLineWithIdsInAttributesAndBody() {
        RunRequest request = RunRequest.newBuilder()
                .setCommands("# weekly\ninventory\n\ninventory os programs\n")
                .setRunId("run-weekly")
                .setSource("weekly.txt")
                .build();

        RunResponse response = gateway.run(request, Duration.ofSeconds(30));

        assertThat(response.getOk()).isTrue();
        assertThat(response.getErrorCode()).isEmpty();
        assertThat(response.getAccepted()).isEqualTo(2);
        assertThat(response.getRunId()).isEqualTo("run-weekly");
        assertThat(response.getTasksList()).extracting(TaskAssignment::getTaskId, TaskAssignment::getLine,
                        TaskAssignment::getQueued)
                .containsExactly(tuple("run-weekly-L2", 2, true),
                        tuple("run-weekly-L4", 4, true));
        assertThat(response.getTasks(1).getSectionsList()).containsExactly("os", "programs");

        QueuedTasks queued = QueuedTasks.drain(sqs.client(), queueUrl, 2);
        assertThat(queued.taskIds()).containsExactly("run-weekly-L2", "run-weekly-L4");
        for (QueuedTasks.Received message : queued.messages()) {
            assertThat(message.attributes()).containsEntry("run_id", "run-weekly")
                    .containsEntry("task_id", message.task().getTaskId());
            assertThat(message.task().getRunId()).isEqualTo("run-weekly");
            assertThat(message.task().getSource()).isEqualTo("weekly.txt");
            assertThat(message.task().getCreatedAt()).isNotEmpty();
        }
        assertThat(queued.messages()).filteredOn(m -> m.task().getLine() == 4).singleElement()
                .satisfies(m -> assertThat(m.task().getSectionsList()).containsExactly("os", "programs"));
    }

    @Test
    void mixedLinesQueueTheValidOnesAndReportTheOthersWithTheirLineNumbers() {
        RunRequest request = RunRequest.newBuilder()
                .setCommands("inventory\nreboot now\ninventory bios\ninventory host\n")
                .setRunId("run-mixed")
                .build();

        RunResponse response = gateway.run(request, Duration.ofSeconds(30));

        assertThat(response.getOk()).isFalse();
        assertThat(response.getErrorCode()).isEqualTo("LINES_REJECTED");
        assertThat(response.getAccepted()).isEqualTo(2);
        assertThat(response.getRejectedList()).extracting(r -> r.getLine() + " " + r.getText())
                .containsExactly("2 reboot now", "3 inventory bios");
        assertThat(response.getRejected(1).getReason()).contains("unknown section 'bios'");
        assertThat(QueuedTasks.drain(sqs.client(), queueUrl, 2).taskIds())
                .containsExactly("run-mixed-L1", "run-mixed-L4");
    }

    @Test
    void aRetriedRunWithTheSameRunIdAnswersWithTheSameTaskIds() {
        RunRequest request = RunRequest.newBuilder().setCommands("inventory\ninventory os\n").setRunId("run-retry")
                .build();

        RunResponse first = gateway.run(request, Duration.ofSeconds(30));
        RunResponse second = gateway.run(request, Duration.ofSeconds(30));

        assertThat(second.getTasksList()).extracting(TaskAssignment::getTaskId)
                .containsExactlyElementsOf(first.getTasksList().stream().map(TaskAssignment::getTaskId).toList())
                .containsExactly("run-retry-L1", "run-retry-L2");
        // A standard queue does not dedupe: both copies arrive, and consumers dedupe by task id.
        assertThat(QueuedTasks.drain(sqs.client(), queueUrl, 4).taskIds())
                .containsExactly("run-retry-L1", "run-retry-L1", "run-retry-L2", "run-retry-L2");
    }

    @Test
    void aRunWithoutRunIdGetsANewOneThatNamesItsTasks() {
        RunResponse response = gateway.run(RunRequest.newBuilder().setCommands("inventory\n").build(),
                Duration.ofSeconds(30));

        assertThat(response.getOk()).isTrue();
        assertThat(response.getRunId()).startsWith("run-");
        assertThat(response.getTasks(0).getTaskId()).isEqualTo(response.getRunId() + "-L1");
    }

    @Test
    void moreThanTenTasksAreBatchedAndEachArrivesExactlyOnce() {
        String commands = "inventory\n".repeat(47);

        RunResponse response = gateway.run(RunRequest.newBuilder().setCommands(commands).setRunId("run-big").build(),
                Duration.ofSeconds(60));

        assertThat(response.getOk()).isTrue();
        assertThat(response.getAccepted()).isEqualTo(47);
        List<String> expected = IntStream.rangeClosed(1, 47).mapToObj(i -> "run-big-L" + i).sorted().toList();
        assertThat(QueuedTasks.drain(sqs.client(), queueUrl, 47).taskIds()).containsExactlyElementsOf(expected);
    }

    @Test
    void aQueueOutageMidRunIsReportedAsPartialEnqueueNamingExactlyTheQueuedTasks() throws Exception {
        int deadPort = unusedPort();
        AtomicInteger batchCalls = new AtomicInteger();
        ExecutionInterceptor outageAfterTwoBatches = new ExecutionInterceptor() {
            @Override
            public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
                                                    ExecutionAttributes executionAttributes) {
                if (context.request() instanceof SendMessageBatchRequest && batchCalls.incrementAndGet() > 2) {
                    return context.httpRequest().toBuilder().port(deadPort).build();
                }
                return context.httpRequest();
            }
        };
        try (SqsClient failing = SqsClient.builder().endpointOverride(sqs.endpoint()).region(SqsEmulator.REGION)
                .credentialsProvider(SqsEmulator.CREDENTIALS).httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(outageAfterTwoBatches)).build();
             GatewayHandler partial = new GatewayHandler(failing, unusedS3,
                     quickRetries(GatewaySettings.forQueue(queueUrl)))) {

            RunResponse response = partial.run(RunRequest.newBuilder().setCommands("inventory\n".repeat(50))
                    .setRunId("run-outage").build(), Duration.ofSeconds(60));

            assertThat(response.getOk()).isFalse();
            assertThat(response.getErrorCode()).isEqualTo("PARTIAL_ENQUEUE");
            assertThat(response.getAccepted()).isEqualTo(20);
            assertThat(response.getTasksList()).hasSize(50);
            List<String> reportedQueued = response.getTasksList().stream().filter(TaskAssignment::getQueued)
                    .map(TaskAssignment::getTaskId).sorted().toList();
            assertThat(reportedQueued).hasSize(20);
            assertThat(QueuedTasks.drain(sqs.client(), queueUrl, 20).taskIds())
                    .as("the tasks on the queue are exactly the ones reported queued")
                    .containsExactlyElementsOf(reportedQueued);
            assertThat(response.getError()).contains("20 of 50").contains("run-outage");
        }
    }

    @Test
    void anUnreachableQueueQueuesNothingAndSaysSo() throws Exception {
        // The SDK sends to the client's endpoint, whatever host the queue URL names.
        URI deadEndpoint = URI.create("http://127.0.0.1:" + unusedPort());
        try (SqsClient down = SqsClient.builder().endpointOverride(deadEndpoint).region(SqsEmulator.REGION)
                .credentialsProvider(SqsEmulator.CREDENTIALS).httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
             GatewayHandler unreachable = new GatewayHandler(down, unusedS3,
                     quickRetries(GatewaySettings.forQueue(deadEndpoint + "/000000000000/tasks")))) {

            RunResponse response = unreachable.run(RunRequest.newBuilder().setCommands("inventory\ninventory os\n")
                    .setRunId("run-down").build(), Duration.ofSeconds(60));

            assertThat(response.getOk()).isFalse();
            assertThat(response.getErrorCode()).isEqualTo("QUEUE_UNAVAILABLE");
            assertThat(response.getAccepted()).isZero();
            assertThat(response.getTasksList()).extracting(TaskAssignment::getQueued).containsExactly(false, false);
            assertThat(response.getError()).contains("Connection refused");
        }
    }

    @Test
    void retriesStopWithinTheTimeLambdaHasLeft() throws Exception {
        URI deadEndpoint = URI.create("http://127.0.0.1:" + unusedPort());
        try (SqsClient down = SqsClient.builder().endpointOverride(deadEndpoint).region(SqsEmulator.REGION)
                .credentialsProvider(SqsEmulator.CREDENTIALS).httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
             GatewayHandler unreachable = new GatewayHandler(down, unusedS3,
                     GatewaySettings.forQueue(deadEndpoint + "/000000000000/tasks").withSending(4, 1000,
                             Duration.ofMillis(50), Duration.ofMillis(200)))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            unreachable.handleRequest(new ByteArrayInputStream("{\"commands\":\"inventory\\n\"}"
                    .getBytes(StandardCharsets.UTF_8)), out, new RemainingTime(1800));

            RunResponse response = ProtoJson.parse(out.toString(StandardCharsets.UTF_8), RunResponse.newBuilder());
            assertThat(response.getErrorCode()).isEqualTo("QUEUE_UNAVAILABLE");
            assertThat(response.getError()).as("a thousand attempts are allowed; the deadline ends them")
                    .contains("no time left to retry");
        }
    }

    @Test
    void aMissingQueueFailsFastWithoutRetryingEveryBatch() throws Exception {
        String missingQueue = sqs.endpoint() + "/000000000000/no-such-queue";
        try (GatewayHandler missing = new GatewayHandler(sqs.client(), unusedS3,
                GatewaySettings.forQueue(missingQueue))) {

            RunResponse response = missing.run(RunRequest.newBuilder().setCommands("inventory\n".repeat(30))
                    .setRunId("run-missing").build(), Duration.ofSeconds(60));

            assertThat(response.getErrorCode()).isEqualTo("QUEUE_UNAVAILABLE");
            assertThat(response.getError()).containsIgnoringCase("queue");
        }
    }

    @Test
    void linesThatAreAllInvalidQueueNothingAndListEveryLine() {
        RunResponse response = gateway.run(RunRequest.newBuilder().setCommands("reboot\ninventory bios\n")
                .setRunId("run-bad").build(), Duration.ofSeconds(30));

        assertThat(response.getErrorCode()).isEqualTo("INVALID_COMMANDS");
        assertThat(response.getAccepted()).isZero();
        assertThat(response.getRejectedList()).extracting(r -> r.getLine()).containsExactly(1, 2);
        assertThat(sqs.visibleMessages(queueUrl)).isZero();
    }

    @Test
    void tooManyTasksRefusesTheWholeFileAndNamesTheLine() throws Exception {
        try (GatewayHandler small = new GatewayHandler(sqs.client(), unusedS3,
                GatewaySettings.forQueue(queueUrl).withMaxTasksPerRun(3))) {

            RunResponse response = small.run(RunRequest.newBuilder().setCommands("inventory\n".repeat(4))
                    .setRunId("run-many").build(), Duration.ofSeconds(30));

            assertThat(response.getErrorCode()).isEqualTo("TOO_MANY_TASKS");
            assertThat(response.getRejectedList()).singleElement().satisfies(r -> assertThat(r.getLine()).isEqualTo(4));
            assertThat(sqs.visibleMessages(queueUrl)).isZero();
        }
    }

    @Test
    void anInvalidRunIdIsRefusedWithATypedError() {
        RunResponse response = gateway.run(RunRequest.newBuilder().setCommands("inventory\n")
                .setRunId("../etc/passwd").build(), Duration.ofSeconds(30));

        assertThat(response.getErrorCode()).isEqualTo("INVALID_RUN_ID");
        assertThat(response.getError()).contains("../etc/passwd");
        assertThat(sqs.visibleMessages(queueUrl)).isZero();
    }

    @Test
    void theLambdaEntryPointReadsAndWritesProtoJson() throws Exception {
        String event = "{\"commands\":\"inventory\\ninventory programs\\n\",\"run_id\":\"run-json\","
                + "\"source\":\"weekly.txt\",\"some_future_field\":1}";

        RunResponse response = invoke(event);

        assertThat(response.getOk()).isTrue();
        assertThat(response.getTasksList()).extracting(TaskAssignment::getTaskId)
                .containsExactly("run-json-L1", "run-json-L2");
    }

    @Test
    void malformedJsonGetsAnInvalidRequestAnswerWithoutAStackTrace() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        gateway.handleRequest(new ByteArrayInputStream("{\"commands\": ".getBytes(StandardCharsets.UTF_8)), out,
                null);

        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(json).contains("\"error_code\":\"INVALID_REQUEST\"").doesNotContain("\tat ");
    }

    @Test
    void commandsFileIsRefusedBecauseOnlyTheProxyCanReadIt() throws Exception {
        RunResponse response = invoke("{\"commands_file\":\"/workspace/commands.txt\"}");

        assertThat(response.getErrorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(response.getError()).contains("commands_file");
    }

    private RunResponse invoke(String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        gateway.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        try {
            return ProtoJson.parse(out.toString(StandardCharsets.UTF_8), RunResponse.newBuilder());
        } catch (InvalidMessageException e) {
            throw new AssertionError("the answer is not a RunResponse: " + out, e);
        }
    }

    static GatewaySettings quickRetries(GatewaySettings settings) {
        return settings.withSending(4, 3, Duration.ofMillis(10), Duration.ofMillis(50));
    }

    static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
