package io.inventory.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inventory.gateway.GatewayHandler;
import io.inventory.gateway.GatewaySettings;
import io.inventory.proto.AgentGatewayGrpc;
import io.inventory.proto.DependencyCheck;
import io.inventory.proto.HealthRequest;
import io.inventory.proto.HealthResponse;
import io.inventory.proto.RunRequest;
import io.inventory.proto.RunResponse;
import io.inventory.testing.S3Emulator;
import io.inventory.testing.SqsEmulator;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** The proxy in Lambda mode, talking to the Invoke API over HTTP as it would to Lambda or sam local. */
class ProxyLambdaModeTest {

    private static SqsEmulator sqs;
    private static S3Emulator s3;

    private String queueUrl;
    private GatewayHandler gateway;
    private FakeLambdaEndpoint lambda;
    private ProxyFixture proxy;

    @BeforeAll
    static void startEmulators() {
        sqs = SqsEmulator.start();
        s3 = S3Emulator.start();
        s3.createBucket("inventory");
    }

    @AfterAll
    static void stopEmulators() {
        s3.close();
        sqs.close();
    }

    @BeforeEach
    void start() throws Exception {
        queueUrl = sqs.createQueue("inventory_tasks_" + UUID.randomUUID(), 600);
        gateway = new GatewayHandler(sqs.client(), s3.client(), GatewaySettings.forQueue(queueUrl));
        lambda = new FakeLambdaEndpoint(gateway);
        proxy = ProxyFixture.start("--gateway-mode", "lambda", "--lambda-endpoint", lambda.endpoint(),
                "--function-name", "inventory-gateway", "--qualifier", "live", "--run-rate", "0",
                "--sqs-endpoint", sqs.endpoint().toString(), "--task-queue-url", queueUrl);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        lambda.close();
        gateway.close();
    }

    @Test
    void aRunGoesThroughTheInvokeApiToTheGatewayAndItsTasksReachTheQueue() {
        RunResponse response = proxy.stub().run(RunRequest.newBuilder().setCommands("inventory\ninventory host\n")
                .setRunId("run-lambda").setSource("ticket-42").build());

        assertThat(response.getOk()).isTrue();
        assertThat(response.getAccepted()).isEqualTo(2);
        assertThat(lambda.invocations()).singleElement().satisfies(invocation -> {
            assertThat(invocation.functionName()).isEqualTo("inventory-gateway");
            assertThat(invocation.qualifier()).isEqualTo("live");
            assertThat(invocation.payload()).contains("\"run_id\":\"run-lambda\"");
        });
        assertThat(QueueContents.taskIds(sqs.client(), queueUrl, 2))
                .containsExactlyInAnyOrder("run-lambda-L1", "run-lambda-L2");
    }

    @Test
    void commandsFromS3AreReadByTheGateway() {
        s3.client().putObject(b -> b.bucket("inventory").key("commands/weekly.txt"),
                RequestBody.fromString("inventory os\n"));

        RunResponse response = proxy.stub().run(RunRequest.newBuilder()
                .setCommandsUri("s3://inventory/commands/weekly.txt").setRunId("run-s3").build());

        assertThat(response.getAccepted()).isEqualTo(1);
        assertThat(QueueContents.taskIds(sqs.client(), queueUrl, 1)).containsExactly("run-s3-L1");
    }

    @Test
    void aMissingS3ObjectIsNotFound() {
        StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class, () -> proxy.stub()
                .run(RunRequest.newBuilder().setCommandsUri("s3://inventory/commands/absent.txt").build()));

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(StatusDetails.runResponse(error).getErrorCode()).isEqualTo("COMMANDS_NOT_FOUND");
    }

    @Test
    void aThrottledGatewayIsUnavailable() {
        lambda.behave(FakeLambdaEndpoint.Behaviour.THROTTLE);

        StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class, () -> proxy.stub()
                .run(RunRequest.newBuilder().setCommands("inventory\n").setRunId("run-throttled").build()));

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(error.getStatus().getDescription()).contains("run-throttled");
    }

    @Test
    void anUnreachableLambdaEndpointIsUnavailable() throws Exception {
        lambda.close();

        StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class, () -> proxy.stub()
                .run(RunRequest.newBuilder().setCommands("inventory\n").build()));

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void theCallersDeadlineBoundsTheInvocation() throws Exception {
        lambda.behave(FakeLambdaEndpoint.Behaviour.HOLD);
        AgentGatewayGrpc.AgentGatewayBlockingStub stub = AgentGatewayGrpc.newBlockingStub(proxy.channel())
                .withDeadlineAfter(2, TimeUnit.SECONDS);

        StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub.run(RunRequest.newBuilder().setCommands("inventory\n").setRunId("run-slow").build()));

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(lambda.awaitHeld()).as("the invocation reached the gateway").isTrue();
    }

    @Test
    void healthReportsTheGatewayThroughADryRunAndTheQueueDepth() {
        sqs.client().sendMessage(b -> b.queueUrl(queueUrl).messageBody("{}"));

        HealthResponse health = proxy.stub().health(HealthRequest.getDefaultInstance());

        assertThat(health.getOk()).isTrue();
        assertThat(health.getChecksList()).extracting(DependencyCheck::getName)
                .containsExactly("task_queue", "gateway");
        assertThat(health.getChecks(0).getDepth()).isEqualTo(1);
        assertThat(lambda.invocations()).singleElement()
                .satisfies(invocation -> assertThat(invocation.invocationType()).isEqualTo("DryRun"));
    }

    @Test
    void shutdownLetsAnInFlightRunFinish() throws Exception {
        lambda.behave(FakeLambdaEndpoint.Behaviour.HOLD);
        CompletableFuture<RunResponse> inFlight = CompletableFuture.supplyAsync(() -> proxy.stub()
                .run(RunRequest.newBuilder().setCommands("inventory\n").setRunId("run-drain").build()));
        assertThat(lambda.awaitHeld()).isTrue();

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> proxy.server().close());
        await().atMost(Duration.ofSeconds(30)).until(proxy.server()::isShuttingDown);
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, () -> proxy.stub()
                .run(RunRequest.newBuilder().setCommands("inventory\n").build()));
        lambda.releaseHeld();

        assertThat(inFlight.get(60, TimeUnit.SECONDS).getAccepted()).isEqualTo(1);
        shutdown.get(60, TimeUnit.SECONDS);
        assertThat(refused.getStatus().getCode()).as("a call after shutdown began")
                .isEqualTo(Status.Code.UNAVAILABLE);
    }
}
