package io.inventory.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.inventory.proto.AgentGatewayGrpc;
import io.inventory.proto.DependencyCheck;
import io.inventory.proto.HealthRequest;
import io.inventory.proto.HealthResponse;
import io.inventory.proto.RunRequest;
import io.inventory.proto.RunResponse;
import io.inventory.testing.S3Emulator;
import io.inventory.testing.SqsEmulator;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The same server over grpc's in-process transport, with every dependency the Health call checks. */
class ProxyInProcessTransportTest {

    private static SqsEmulator sqs;
    private static S3Emulator s3;
    private static SqsEmulator.QueuePair tasks;
    private static SqsEmulator.QueuePair results;

    private final List<ProxyServer> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void start() {
        sqs = SqsEmulator.start();
        s3 = S3Emulator.start();
        s3.createBucket("inventory");
        tasks = sqs.createQueueWithDeadLetter("inventory_tasks", 5, 600);
        results = sqs.createQueueWithDeadLetter("inventory_results", 5, 600);
    }

    @AfterAll
    static void stop() {
        s3.close();
        sqs.close();
    }

    @AfterEach
    void closeServers() {
        channels.forEach(ManagedChannel::shutdownNow);
        servers.forEach(ProxyServer::close);
    }

    private AgentGatewayGrpc.AgentGatewayBlockingStub startProxy(String name, String bucket) throws Exception {
        ProxyCommand options = ProxyFixture.options("--gateway-mode", "in_process",
                "--sqs-endpoint", sqs.endpoint().toString(), "--s3-endpoint", s3.endpoint().toString(),
                "--task-queue-url", tasks.url(), "--task-dlq-url", tasks.deadLetterUrl(),
                "--result-queue-url", results.url(), "--result-dlq-url", results.deadLetterUrl(),
                "--bucket", bucket, "--shutdown-grace-seconds", "5");
        servers.add(ProxyServer.start(options, InProcessServerBuilder.forName(name)));
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        channels.add(channel);
        return AgentGatewayGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @Test
    void aRunOverTheInProcessTransportQueuesItsTasks() throws Exception {
        AgentGatewayGrpc.AgentGatewayBlockingStub stub = startProxy("run", "inventory");

        RunResponse response = stub.run(RunRequest.newBuilder().setCommands("inventory\ninventory os\n")
                .setRunId("run-inprocess").build());

        assertThat(response.getOk()).isTrue();
        assertThat(QueueContents.taskIds(sqs.client(), tasks.url(), 2))
                .containsExactlyInAnyOrder("run-inprocess-L1", "run-inprocess-L2");
    }

    @Test
    void healthReportsEveryQueueDepthTheBucketAndTheGateway() throws Exception {
        AgentGatewayGrpc.AgentGatewayBlockingStub stub = startProxy("health", "inventory");
        sqs.client().sendMessage(b -> b.queueUrl(results.url()).messageBody("{}"));
        sqs.client().sendMessage(b -> b.queueUrl(results.url()).messageBody("{}"));
        sqs.client().sendMessage(b -> b.queueUrl(tasks.deadLetterUrl()).messageBody("{}"));

        HealthResponse health = stub.health(HealthRequest.getDefaultInstance());

        assertThat(health.getOk()).isTrue();
        assertThat(health.getService()).isEqualTo("inventory-grpc-proxy");
        assertThat(health.getChecksList()).extracting(DependencyCheck::getName, DependencyCheck::getOk,
                        DependencyCheck::getDepth)
                .containsExactly(
                        tuple("task_queue", true, 0),
                        tuple("result_queue", true, 2),
                        tuple("task_dead_letter_queue", true, 1),
                        tuple("result_dead_letter_queue", true, 0),
                        tuple("bucket", true, 0),
                        tuple("gateway", true, 0));
    }

    @Test
    void aMissingBucketFailsHealthAndSaysWhy() throws Exception {
        AgentGatewayGrpc.AgentGatewayBlockingStub stub = startProxy("no-bucket", "no-such-bucket");

        HealthResponse health = stub.health(HealthRequest.getDefaultInstance());

        assertThat(health.getOk()).isFalse();
        assertThat(health.getChecksList()).filteredOn(check -> check.getName().equals("bucket")).singleElement()
                .satisfies(check -> {
                    assertThat(check.getOk()).isFalse();
                    assertThat(check.getDetail()).contains("404");
                });
    }

    @Test
    void theStandardHealthServiceReportsServing() throws Exception {
        startProxy("grpc-health", "inventory");

        HealthCheckResponse overall = HealthGrpc.newBlockingStub(channels.get(0))
                .check(HealthCheckRequest.getDefaultInstance());
        HealthCheckResponse service = HealthGrpc.newBlockingStub(channels.get(0))
                .check(HealthCheckRequest.newBuilder().setService("agent.AgentGateway").build());

        assertThat(overall.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(service.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void serverReflectionListsTheAgentGatewayService() throws Exception {
        startProxy("reflection", "inventory");
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();

        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channels.get(0))
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        answer.complete(response);
                    }

                    @Override
                    public void onError(Throwable error) {
                        answer.completeExceptionally(error);
                    }

                    @Override
                    public void onCompleted() {
                        answer.completeExceptionally(new AssertionError("no reflection response"));
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        requests.onCompleted();

        assertThat(answer.get(60, TimeUnit.SECONDS).getListServicesResponse().getServiceList())
                .extracting(ServiceResponse::getName)
                .contains("agent.AgentGateway", "grpc.health.v1.Health");
    }
}
