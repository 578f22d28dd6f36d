package io.inventory.benchmarks.gateway;

import io.inventory.benchmarks.measure.ResultFile;
import io.inventory.benchmarks.measure.Rounds;
import io.inventory.benchmarks.profile.CpuProfile;
import io.inventory.codec.ProtoJson;
import io.inventory.commands.RunIds;
import io.inventory.gateway.GatewayHandler;
import io.inventory.gateway.GatewaySettings;
import io.inventory.proto.InventoryTask;
import io.inventory.proto.RunRequest;
import io.inventory.proto.RunResponse;
import io.inventory.testing.SqsEmulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The gateway turning a commands file of N {@code inventory} lines into N tasks on ElasticMQ, against a bare
 * SendMessageBatch loop sending N task-sized messages with the gateway's parallelism. Each round uses fresh
 * queues, and each checks that all N messages arrived.
 *
 * <p>Arguments: {@code <lines> <rounds>}.
 */
public final class GatewayBenchmark {

    private GatewayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int lines = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        ResultFile results = ResultFile.create("gateway");
        results.put("lines", lines);

        try (SqsEmulator sqs = SqsEmulator.start()) {
            SqsClient client = sqs.client();
            int concurrency = GatewaySettings.forQueue("unused").sendConcurrency();
            results.put("concurrency", concurrency);
            String commands = "inventory\n".repeat(lines);
            int[] round = {0};

            Rounds timed = Rounds.alternate(1, rounds,
                    () -> baseline(sqs, lines, concurrency, round[0]++),
                    () -> gateway(sqs, client, commands, lines, round[0]++, null));
            timed.record(results, "send");
            gateway(sqs, client, commands, lines, round[0]++, "gateway");
        }
        results.write();
    }

    /** The gateway's whole run, timed; fails when not every line became a task on the queue. */
    private static double gateway(SqsEmulator sqs, SqsClient client, String commands, int lines, int round,
            String profileName) throws Exception {
        String queue = sqs.createQueue("gateway_" + round, 600);
        GatewaySettings settings = GatewaySettings.forQueue(queue).withMaxTasksPerRun(lines);
        RunRequest request = RunRequest.newBuilder()
                .setCommands(commands)
                .setRunId("bench-" + round)
                .setSource("benchmark")
                .build();
        try (GatewayHandler handler = new GatewayHandler(client, null, settings)) {
            long start = System.nanoTime();
            RunResponse response;
            if (profileName == null) {
                response = handler.run(request, Duration.ofMinutes(10));
            } else {
                CpuProfile profile = CpuProfile.start(profileName);
                try {
                    response = handler.run(request, Duration.ofMinutes(10));
                } finally {
                    profile.close();
                }
            }
            double millis = (System.nanoTime() - start) / 1e6;
            if (!response.getOk() || response.getAccepted() != lines) {
                throw new IllegalStateException("the gateway queued " + response.getAccepted() + " of " + lines
                        + ": " + response.getErrorCode() + " " + response.getError());
            }
            expectMessages(sqs, queue, lines);
            return millis;
        } finally {
            client.deleteQueue(b -> b.queueUrl(queue));
        }
    }

    /** The same number of task-sized messages, 10 per SendMessageBatch, with the gateway's parallelism. */
    private static double baseline(SqsEmulator sqs, int lines, int concurrency, int round) throws Exception {
        String queue = sqs.createQueue("baseline_" + round, 600);
        SqsClient client = sqs.client();
        String runId = "bench-" + round;
        List<List<SendMessageBatchRequestEntry>> batches = new ArrayList<>();
        for (int first = 1; first <= lines; first += 10) {
            List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
            for (int line = first; line < first + 10 && line <= lines; line++) {
                batch.add(entry(runId, line));
            }
            batches.add(batch);
        }

        ExecutorService executor = Executors.newFixedThreadPool(concurrency);
        try {
            long start = System.nanoTime();
            List<Future<Integer>> sent = new ArrayList<>();
            for (List<SendMessageBatchRequestEntry> batch : batches) {
                sent.add(executor.submit(() -> {
                    SendMessageBatchResponse response =
                            client.sendMessageBatch(b -> b.queueUrl(queue).entries(batch));
                    if (!response.failed().isEmpty()) {
                        throw new IllegalStateException("baseline batch failed: " + response.failed());
                    }
                    return response.successful().size();
                }));
            }
            for (Future<Integer> future : sent) {
                future.get();
            }
            double millis = (System.nanoTime() - start) / 1e6;
            expectMessages(sqs, queue, lines);
            return millis;
        } finally {
            executor.shutdown();
            client.deleteQueue(b -> b.queueUrl(queue));
        }
    }

    /** A message like the gateway's: the task as JSON, its ids repeated as attributes. */
    private static SendMessageBatchRequestEntry entry(String runId, int line) {
        String taskId = RunIds.taskId(runId, line);
        InventoryTask task = InventoryTask.newBuilder()
                .setTaskId(taskId)
                .setRunId(runId)
                .setLine(line)
                .setSource("benchmark")
                .setCreatedAt(Instant.now().toString())
                .build();
        return SendMessageBatchRequestEntry.builder()
                .id(Integer.toString(line))
                .messageBody(ProtoJson.toJson(task))
                .messageAttributes(Map.of(
                        "run_id", MessageAttributeValue.builder().dataType("String").stringValue(runId).build(),
                        "task_id", MessageAttributeValue.builder().dataType("String").stringValue(taskId).build()))
                .build();
    }

    private static void expectMessages(SqsEmulator sqs, String queue, int expected) {
        int visible = sqs.visibleMessages(queue);
        if (visible != expected) {
            throw new IllegalStateException("expected " + expected + " messages on " + queue + ", found " + visible);
        }
    }
}
