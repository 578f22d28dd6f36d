package io.inventory.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import io.inventory.proto.RunResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end scenarios on the embedded emulators (ElasticMQ and s3proxy with atomic conditional puts), which
 * run everywhere, plus the concurrency scenario: its guarantees rest on S3's atomic If-Match, which only this
 * backend emulates faithfully (LocalStack's S3 If-Match has open bugs).
 */
class EmbeddedPipelineTest extends PipelineScenarios {

    @Override
    LocalPipeline.Builder backend() {
        return common();
    }

    @Test
    void proxyAnswersServerReflectionSoGrpcurlNeedsNoProtoFiles() throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS)
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
                    }
                });

        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();

        assertThat(answer.get(60, TimeUnit.SECONDS).getListServicesResponse().getServiceList())
                .extracting(ServiceResponse::getName).contains("agent.AgentGateway");
    }

    @Test
    void manyAgentsAndConcurrentWritersKeepEveryResultAndTheNewestInventoryPerHost() throws Exception {
        List<LocalAgent> agents = new ArrayList<>();
        Map<String, SyntheticExport> hosts = Map.of(
                "LAB-BUSY-1", new SyntheticExport("LAB-BUSY-1", 30, "5.0"),
                "LAB-BUSY-2", new SyntheticExport("LAB-BUSY-2", 40, "6.0"));
        try {
            for (SyntheticExport export : hosts.values()) {
                Path file = export.writeTo(exports.resolve(export.computerName() + ".reg"));
                for (int i = 0; i < 3; i++) {
                    agents.add(pipeline.startAgent(List.of(file)));
                }
            }

            RunResponse response = run("inventory\n".repeat(30), newRunId());
            List<InventoryResult> results = awaitRunObjects(response);

            assertThat(results).hasSize(30);
            Map<String, List<InventoryResult>> byHost = results.stream()
                    .collect(Collectors.groupingBy(InventoryResult::getHost));
            for (Map.Entry<String, List<InventoryResult>> host : byHost.entrySet()) {
                Set<String> newest = newestTaskIds(host.getValue());
                InventoryDocument payload = awaitPayload(host.getKey(),
                        document -> newest.contains(document.getTaskId()));
                assertThat(programNames(payload)).isEqualTo(Set.copyOf(hosts.get(host.getKey()).programNames()));
            }
        } finally {
            agents.forEach(LocalAgent::close);
        }
    }
}
