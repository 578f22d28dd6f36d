package io.inventory.benchmarks.pipeline;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.inventory.benchmarks.measure.ResultFile;
import io.inventory.codec.ProtoJson;
import io.inventory.local.LocalPipeline;
import io.inventory.local.SyntheticExport;
import io.inventory.proto.AgentGatewayGrpc;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import io.inventory.proto.RunRequest;
import io.inventory.proto.RunResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * End to end in the local pipeline: from the client's Run call on the gRPC proxy until payload.json of every host
 * that got one of the run's tasks holds that run's inventory (gateway, task queue, polling agents reading .reg
 * exports, result queue, the writer under its event source mapping, s3proxy). There is no baseline: the figures
 * are latencies. A watcher polls S3 every {@value #POLL_MILLIS} ms, which is the resolution.
 *
 * <p>Arguments: {@code <runs of 1 task> <runs of 100 tasks>}.
 */
public final class EndToEndBenchmark {

    static final int POLL_MILLIS = 25;
    private static final int HOSTS = 10;
    private static final int PROGRAMS_PER_HOST = 150;
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    private EndToEndBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int singleRuns = Integer.parseInt(args[0]);
        int largeRuns = Integer.parseInt(args[1]);
        ResultFile results = ResultFile.create("e2e");
        results.put("hosts", HOSTS).put("programs_per_host", PROGRAMS_PER_HOST).put("poll_ms", POLL_MILLIS);

        // The template's event source: up to 10 results per invocation, gathered for at most 5 s.
        measure(results, "", Duration.ofSeconds(5), singleRuns, largeRuns);
        // The same with no batching window, to show what the pipeline itself takes.
        measure(results, "no_window.", Duration.ZERO, singleRuns, 0);
        results.write();
    }

    private static void measure(ResultFile results, String prefix, Duration window, int singleRuns, int largeRuns)
            throws Exception {
        Path exports = Files.createDirectories(ResultFile.directory().resolve("e2e-exports"));
        List<String> hosts = new ArrayList<>();
        LocalPipeline.Builder builder = LocalPipeline.builder().grpcPort(0).writerBatching(10, window);
        for (int i = 0; i < HOSTS; i++) {
            String host = String.format("E2E-HOST-%02d", i);
            hosts.add(host);
            builder.host(List.of(new SyntheticExport(host, PROGRAMS_PER_HOST, "1.0")
                    .writeTo(exports.resolve(host + ".reg"))));
        }
        results.put(prefix + "batching_window_ms", window.toMillis());

        try (LocalPipeline pipeline = builder.start()) {
            ManagedChannel channel = NettyChannelBuilder.forTarget(pipeline.grpcTarget()).usePlaintext().build();
            try {
                AgentGatewayGrpc.AgentGatewayBlockingStub gateway = AgentGatewayGrpc.newBlockingStub(channel);
                run(pipeline, gateway, hosts, 1, "warmup-" + prefix.replace(".", ""));

                List<Double> single = new ArrayList<>();
                for (int i = 0; i < singleRuns; i++) {
                    single.add(run(pipeline, gateway, hosts, 1, "single-" + prefix.replace(".", "") + i).complete());
                }
                results.putStats(prefix + "tasks_1.latency_ms", single);

                List<Double> complete = new ArrayList<>();
                List<Double> perTask = new ArrayList<>();
                for (int i = 0; i < largeRuns; i++) {
                    Latency latency = run(pipeline, gateway, hosts, 100, "large-" + prefix.replace(".", "") + i);
                    complete.add(latency.complete());
                    perTask.addAll(latency.perTask());
                }
                if (largeRuns > 0) {
                    results.putStats(prefix + "tasks_100.latency_ms", complete);
                    results.putStats(prefix + "tasks_100.per_task_ms", perTask);
                }
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * One run's latencies: until every touched host's payload.json shows the run, and until each task's result
     * was stored under runs/.
     */
    record Latency(double complete, List<Double> perTask) {
    }

    private static Latency run(LocalPipeline pipeline, AgentGatewayGrpc.AgentGatewayBlockingStub gateway,
            List<String> hosts, int tasks, String runId) throws Exception {
        Map<String, Double> payloadSeen = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        Thread watcher = new Thread(() -> watchPayloads(pipeline, hosts, runId, start, payloadSeen), "payload-watch");
        watcher.setDaemon(true);
        watcher.start();

        try {
            RunResponse response = gateway.withDeadlineAfter(60, TimeUnit.SECONDS).run(RunRequest.newBuilder()
                    .setCommands("inventory\n".repeat(tasks)).setRunId(runId).setSource("benchmark").build());
            if (!response.getOk() || response.getAccepted() != tasks) {
                throw new IllegalStateException("run " + runId + " accepted " + response.getAccepted() + " of "
                        + tasks + ": " + response.getError());
            }

            Map<String, Double> stored = new ConcurrentHashMap<>();
            long deadline = start + PATIENCE.toNanos();
            while (stored.size() < tasks) {
                for (S3Object object : pipeline.s3().listObjectsV2Paginator(b -> b.bucket(pipeline.bucket())
                        .prefix(pipeline.runPrefix(runId))).contents()) {
                    // The in-memory store lists folder entries too; results are the .json objects.
                    if (object.key().endsWith(".json")) {
                        stored.putIfAbsent(object.key(), (System.nanoTime() - start) / 1e6);
                    }
                }
                pause(deadline, runId);
            }

            Set<String> touched = new HashSet<>();
            for (String key : stored.keySet()) {
                String json = pipeline.s3().getObjectAsBytes(b -> b.bucket(pipeline.bucket()).key(key))
                        .asUtf8String();
                touched.add(ProtoJson.<InventoryResult>parse(json, InventoryResult.newBuilder()).getHost());
            }
            while (!payloadSeen.keySet().containsAll(touched)) {
                pause(deadline, runId);
            }
            // A host's payload.json may show the run from its first task on; the run is complete when, also,
            // every result is stored, and each result's payload write follows its run object within one batch.
            double complete = Math.max(touched.stream().mapToDouble(payloadSeen::get).max().orElseThrow(),
                    stored.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow());
            return new Latency(complete, List.copyOf(stored.values()));
        } finally {
            watcher.interrupt();
            watcher.join();
        }
    }

    private static void watchPayloads(LocalPipeline pipeline, List<String> hosts, String runId, long start,
            Map<String, Double> seen) {
        while (!Thread.currentThread().isInterrupted()) {
            for (String host : hosts) {
                if (seen.containsKey(host)) {
                    continue;
                }
                try {
                    InventoryDocument document = pipeline.hostPayload(host).orElse(null);
                    if (document != null && runId.equals(document.getRunId())) {
                        seen.put(host, (System.nanoTime() - start) / 1e6);
                    }
                } catch (Exception e) {
                    // A read that races a write or a shutdown is simply tried again on the next poll.
                }
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void pause(long deadline, String runId) throws InterruptedException {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("run " + runId + " not complete after " + PATIENCE);
        }
        Thread.sleep(POLL_MILLIS);
    }
}
