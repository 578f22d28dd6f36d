package io.inventory.writer;

import static io.inventory.writer.ResultEvents.event;
import static io.inventory.writer.ResultEvents.message;
import static io.inventory.writer.ResultEvents.ok;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.inventory.codec.ProtoJson;
import io.inventory.proto.FleetEntry;
import io.inventory.proto.FleetIndex;
import io.inventory.testing.S3Emulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Measures what the fleet index costs as the fleet grows, on the S3 emulator: bytes rewritten per batch, batch
 * latency, and lost races with eight concurrent writers, for no index, one index object, and a sharded index.
 * A measurement to run by hand, not a test: {@code java -cp <test classpath> io.inventory.writer.FleetIndexCost}.
 */
public final class FleetIndexCost {

    private static final int[] FLEET_SIZES = {100, 1_000, 10_000};
    private static final int[] SHARD_COUNTS = {0, 1, 16, 256};
    private static final int WRITERS = 8;
    private static final int BATCHES = 64;
    private static final int BATCH_SIZE = 10;

    private static final AtomicInteger LOST_RACES = new AtomicInteger();
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private FleetIndexCost() {
    }

    public static void main(String[] args) throws Exception {
        try (S3Emulator s3 = S3Emulator.start();
             S3Client client = s3.newClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(
                     new RaceCounter())))) {
            // A first pass that is not printed: the JIT and the emulator warm up, as in a warm Lambda sandbox.
            measure(s3, client, 100, 1, false);
            System.out.printf("%8s %7s %14s %12s %12s %10s %8s%n", "hosts", "shards", "index bytes", "serial ms",
                    "8-way ms", "lost races", "retried");
            int[] sizes = args.length == 0 ? FLEET_SIZES : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
            for (int hosts : sizes) {
                for (int shards : SHARD_COUNTS) {
                    measure(s3, client, hosts, shards, true);
                }
            }
        }
    }

    private static void measure(S3Emulator s3, S3Client client, int hosts, int shards, boolean print)
            throws Exception {
        String bucket = "cost-" + BUCKETS.incrementAndGet();
        s3.createBucket(bucket);
        WriterSettings settings = WriterSettings.forBucket(bucket).withFleetIndexShards(shards)
                .withCompareAndSwap(8, Duration.ofMillis(25), Duration.ofMillis(1000));
        long indexBytes = seedIndex(client, bucket, hosts, shards);
        List<List<SQSMessage>> batches = batches(hosts);

        WriterHandler serial = new WriterHandler(client, settings);
        long started = System.nanoTime();
        for (List<SQSMessage> batch : batches.subList(0, 16)) {
            serial.handleRequest(event(batch), null);
        }
        double serialMillis = (System.nanoTime() - started) / 1e6 / 16;

        LOST_RACES.set(0);
        AtomicInteger retried = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> running = new ArrayList<>();
        started = System.nanoTime();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            running.add(pool.submit(() -> {
                WriterHandler handler = new WriterHandler(client, settings);
                for (int i = 16 + writer; i < batches.size(); i += WRITERS) {
                    retried.addAndGet(handler.handleRequest(event(batches.get(i)), null)
                            .getBatchItemFailures().size());
                }
            }));
        }
        for (Future<?> future : running) {
            future.get();
        }
        pool.shutdown();
        double concurrentMillis = (System.nanoTime() - started) / 1e6 / (batches.size() - 16);

        if (!print) {
            return;
        }
        System.out.printf("%8d %7d %14d %12.1f %12.1f %10d %8d%n", hosts, shards, indexBytes, serialMillis,
                concurrentMillis, LOST_RACES.get(), retried.get());
    }

    /** Writes an index that already lists every host, as after the fleet's first run; returns its total size. */
    private static long seedIndex(S3Client client, String bucket, int hosts, int shards) {
        if (shards == 0) {
            return 0;
        }
        Map<Integer, FleetIndex.Builder> byShard = new HashMap<>();
        for (int h = 0; h < hosts; h++) {
            String host = "host" + h;
            byShard.computeIfAbsent(ResultBatchWriter.shardOf(host, shards), s -> FleetIndex.newBuilder()
                    .setSchema(FleetIndexMerge.SCHEMA).setUpdatedAt("2026-12-01T00:00:00Z"))
                    .putHosts(host, FleetEntry.newBuilder().setStatus("ok").setCollectedAt("2026-12-01T00:00:00Z")
                            .setProgramCount(150)
                            .putSectionCollectedAt("os", "2026-12-01T00:00:00Z")
                            .putSectionCollectedAt("host", "2026-12-01T00:00:00Z")
                            .putSectionCollectedAt("programs", "2026-12-01T00:00:00Z").build());
        }
        long bytes = 0;
        for (Map.Entry<Integer, FleetIndex.Builder> shard : byShard.entrySet()) {
            String key = shards == 1 ? "payload.json" : String.format("fleet/%03d.json", shard.getKey());
            String json = ProtoJson.toJson(shard.getValue());
            bytes += json.length();
            client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(json));
        }
        return bytes;
    }

    /** Batches of results for distinct hosts spread over the fleet, so only the index is shared. */
    private static List<List<SQSMessage>> batches(int hosts) {
        List<List<SQSMessage>> batches = new ArrayList<>();
        int line = 1;
        for (int b = 0; b < BATCHES; b++) {
            SQSMessage[] batch = new SQSMessage[BATCH_SIZE];
            for (int i = 0; i < BATCH_SIZE; i++) {
                String host = "host" + Math.floorMod((long) line * 7919, hosts);
                batch[i] = message(ok(host, line, "2026-12-03T10:00:00Z", 150));
                line++;
            }
            batches.add(Arrays.asList(batch));
        }
        return batches;
    }

    private static final class RaceCounter implements ExecutionInterceptor {
        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            if (context.exception() instanceof S3Exception e && (e.statusCode() == 412 || e.statusCode() == 409)) {
                LOST_RACES.incrementAndGet();
            }
        }
    }
}
