package io.inventory.benchmarks.writer;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.inventory.benchmarks.inventory.SyntheticInventory;
import io.inventory.benchmarks.measure.ResultFile;
import io.inventory.benchmarks.measure.Rounds;
import io.inventory.benchmarks.profile.CpuProfile;
import io.inventory.codec.ProtoJson;
import io.inventory.proto.FleetEntry;
import io.inventory.proto.FleetIndex;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import io.inventory.testing.S3Emulator;
import io.inventory.writer.WriterHandler;
import io.inventory.writer.WriterSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The writer storing results in s3proxy, driven as the event source mapping drives it: batches of results from a
 * shuffled stream, several invocations at once, failed messages delivered again until stored. Measured against
 * bare puts of each result's document with as many threads, and counted at the writer's own S3 client.
 *
 * <p>Then the contention check: 8 writers at once on results for 10 hot hosts, after which every host document
 * and the fleet index must hold each host's newest result.
 *
 * <p>Arguments: {@code <results> <hosts> <batch size> <writers> <rounds> <hot results>}.
 */
public final class WriterBenchmark {

    private static final int PROGRAMS_PER_HOST = 20;
    private static final Instant FIRST_RUN = Instant.parse("2026-12-01T00:00:00Z");

    private WriterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int results = Integer.parseInt(args[0]);
        int hosts = Integer.parseInt(args[1]);
        int batchSize = Integer.parseInt(args[2]);
        int writers = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        int hotResults = Integer.parseInt(args[5]);
        ResultFile file = ResultFile.create("writer");
        file.put("results", results).put("hosts", hosts).put("batch_size", batchSize).put("writers", writers)
                .put("programs_per_host", PROGRAMS_PER_HOST);

        RequestCounter counter = new RequestCounter();
        try (S3Emulator s3 = S3Emulator.start();
             S3Client writerClient = s3.newClient(
                     b -> b.overrideConfiguration(c -> c.addExecutionInterceptor(counter)))) {
            List<SQSMessage> stream = messages(results, hosts, 1);
            int[] round = {0};
            List<Map<String, Long>> requestCounts = new ArrayList<>();
            List<Long> redeliveries = new ArrayList<>();

            // A short warm-up on a slice of the stream instead of a whole unrecorded round: 10,000 results take
            // minutes on two cores.
            List<SQSMessage> slice = stream.subList(0, Math.min(stream.size(), 1000));
            baseline(s3, slice, writers, "warmup-baseline");
            deliver(s3, writerClient, slice, batchSize, writers, 4, "warmup-writer", null);

            Rounds timed = Rounds.alternate(0, rounds,
                    () -> baseline(s3, stream, writers, "baseline-" + round[0]++),
                    () -> {
                        counter.reset();
                        Delivery delivery = deliver(s3, writerClient, stream, batchSize, writers, 4,
                                "writer-" + round[0]++, null);
                        requestCounts.add(counter.snapshot());
                        redeliveries.add(delivery.redeliveries());
                        return delivery.millis();
                    });
            timed.record(file, "store");
            Map<String, Long> last = requestCounts.get(requestCounts.size() - 1);
            last.forEach((key, value) -> file.put("requests." + key, value));
            file.put("requests_per_result", (double) last.getOrDefault("requests", 0L) / results);
            file.put("redeliveries", redeliveries.get(redeliveries.size() - 1));

            deliver(s3, writerClient, stream.subList(0, Math.min(stream.size(), 2000)), batchSize, writers, 4,
                    "writer-profiled", "writer");

            // Ten times the batch size, once: how far bigger batches alone cut the requests per result.
            counter.reset();
            Delivery larger = deliver(s3, writerClient, stream, batchSize * 10, writers, 4, "writer-larger", null);
            file.put("larger_batch.size", batchSize * 10);
            file.put("larger_batch.millis", larger.millis());
            file.put("larger_batch.requests_per_result", (double) counter.get("requests") / results);
            counter.snapshot().forEach((key, value) -> file.put("larger_batch.requests." + key, value));

            // The fleet index spread over 16 objects, once: the index is one object all writers rewrite.
            counter.reset();
            Delivery sharded = deliver(s3, writerClient, stream, batchSize, writers, 4, 16, "writer-sharded", null);
            file.put("sharded.shards", 16);
            file.put("sharded.millis", sharded.millis());
            file.put("sharded.requests_per_result", (double) counter.get("requests") / results);
            counter.snapshot().forEach((key, value) -> file.put("sharded.requests." + key, value));

            counter.reset();
            List<SQSMessage> hot = messages(hotResults, 10, 2);
            Delivery contention = deliver(s3, writerClient, hot, batchSize, 8, 4, "writer-hot", null);
            Map<String, Long> hotCounts = counter.snapshot();
            hotCounts.forEach((key, value) -> file.put("hot.requests." + key, value));
            long conditional = hotCounts.getOrDefault("conditional_puts", 0L);
            long lost = hotCounts.getOrDefault("status.412", 0L);
            file.put("hot.results", hotResults);
            file.put("hot.writers", 8);
            file.put("hot.millis", contention.millis());
            file.put("hot.redeliveries", contention.redeliveries());
            file.put("hot.cas_retry_rate", conditional == 0 ? 0.0 : (double) lost / conditional);
            file.put("hot.lost_updates", lostUpdates(s3.client(), "writer-hot", hot));
        }
        file.write();
    }

    /** Results for {@code hosts} hosts, {@code results / hosts} each at increasing times, shuffled. */
    static List<SQSMessage> messages(int results, int hosts, long seed) {
        List<SQSMessage> messages = new ArrayList<>();
        for (int i = 0; i < results; i++) {
            int host = i % hosts;
            int run = i / hosts;
            Instant at = FIRST_RUN.plus(Duration.ofMinutes(run)).plusMillis(host);
            InventoryResult result = SyntheticInventory.result("bench-run-" + run, host + 1, hostName(host),
                    PROGRAMS_PER_HOST, at, seed * 1_000_003 + i);
            SQSMessage message = new SQSMessage();
            message.setMessageId("m-" + i);
            message.setReceiptHandle("r-" + i);
            message.setBody(ProtoJson.toJson(result));
            message.setEventSource("aws:sqs");
            messages.add(message);
        }
        Collections.shuffle(messages, new Random(seed));
        return messages;
    }

    static String hostName(int host) {
        return String.format(Locale.ROOT, "WS-%05d", host);
    }

    /** What delivering a stream took, and how many messages had to be delivered again. */
    record Delivery(double millis, long redeliveries) {
    }

    /**
     * Delivers the stream to {@code writers} concurrent handlers (each like one Lambda instance) in batches of
     * {@code batchSize}, delivering failed messages again, as SQS would, until all are stored.
     */
    static Delivery deliver(S3Emulator s3, S3Client client, List<SQSMessage> stream, int batchSize, int writers,
            int threadsPerWriter, String bucket, String profileName) throws Exception {
        return deliver(s3, client, stream, batchSize, writers, threadsPerWriter, 1, bucket, profileName);
    }

    /** As above, with the fleet index spread over {@code indexShards} objects. */
    static Delivery deliver(S3Emulator s3, S3Client client, List<SQSMessage> stream, int batchSize, int writers,
            int threadsPerWriter, int indexShards, String bucket, String profileName) throws Exception {
        s3.createBucket(bucket);
        WriterSettings settings = new WriterSettings(bucket, "", indexShards, 8, Duration.ofMillis(25),
                Duration.ofSeconds(1), threadsPerWriter);
        ConcurrentLinkedQueue<SQSMessage> queue = new ConcurrentLinkedQueue<>(stream);
        Map<String, SQSMessage> byId = new HashMap<>();
        stream.forEach(message -> byId.put(message.getMessageId(), message));
        AtomicLong redeliveries = new AtomicLong();
        AtomicLong pending = new AtomicLong(stream.size());

        ExecutorService executor = Executors.newFixedThreadPool(writers);
        CpuProfile profile = profileName == null ? null : CpuProfile.start(profileName);
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                running.add(executor.submit(() -> {
                    WriterHandler handler = new WriterHandler(client, settings);
                    while (pending.get() > 0) {
                        List<SQSMessage> batch = new ArrayList<>();
                        for (SQSMessage next = queue.poll(); next != null; next = batch.size() < batchSize
                                ? queue.poll() : null) {
                            batch.add(next);
                        }
                        if (batch.isEmpty()) {
                            // Others still hold the last batches; sleeping leaves the two cores to them.
                            Thread.sleep(1);
                            continue;
                        }
                        SQSEvent event = new SQSEvent();
                        event.setRecords(batch);
                        SQSBatchResponse response = handler.handleRequest(event, null);
                        for (SQSBatchResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
                            queue.add(byId.get(failure.getItemIdentifier()));
                            redeliveries.incrementAndGet();
                        }
                        pending.addAndGet(-(batch.size() - response.getBatchItemFailures().size()));
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        } finally {
            executor.shutdown();
        }
        double millis = (System.nanoTime() - start) / 1e6;
        if (profile != null) {
            profile.close();
        }
        return new Delivery(millis, redeliveries.get());
    }

    /** Each result's document put as the host's payload.json, without conditions, from as many threads. */
    private static double baseline(S3Emulator s3, List<SQSMessage> stream, int threads, String bucket)
            throws Exception {
        s3.createBucket(bucket);
        S3Client client = s3.client();
        List<String[]> puts = new ArrayList<>();
        for (SQSMessage message : stream) {
            InventoryResult result = ProtoJson.parse(message.getBody(), InventoryResult.newBuilder());
            puts.add(new String[] {"hosts/" + result.getHost().toLowerCase(Locale.ROOT) + "/payload.json",
                ProtoJson.toPrettyJson(result.getInventory()) + "\n"});
        }
        ConcurrentLinkedQueue<String[]> queue = new ConcurrentLinkedQueue<>(puts);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(executor.submit(() -> {
                    for (String[] put = queue.poll(); put != null; put = queue.poll()) {
                        String key = put[0];
                        client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(put[1]));
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        } finally {
            executor.shutdown();
        }
        return (System.nanoTime() - start) / 1e6;
    }

    /**
     * Hosts whose stored document or fleet index entry is not their newest result: updates one writer lost by
     * overwriting another's.
     */
    static int lostUpdates(S3Client client, String bucket, List<SQSMessage> stream) throws Exception {
        Map<String, String> newest = new HashMap<>();
        for (SQSMessage message : stream) {
            InventoryResult result = ProtoJson.parse(message.getBody(), InventoryResult.newBuilder());
            newest.merge(result.getHost().toLowerCase(Locale.ROOT), result.getCollectedAt(),
                    (a, b) -> Instant.parse(a).isAfter(Instant.parse(b)) ? a : b);
        }
        FleetIndex index = ProtoJson.parse(client.getObjectAsBytes(b -> b.bucket(bucket).key("payload.json"))
                .asUtf8String(), FleetIndex.newBuilder());
        int lost = 0;
        for (Map.Entry<String, String> host : newest.entrySet()) {
            InventoryDocument document = ProtoJson.parse(client.getObjectAsBytes(b -> b.bucket(bucket)
                    .key("hosts/" + host.getKey() + "/payload.json")).asUtf8String(), InventoryDocument.newBuilder());
            FleetEntry entry = index.getHostsMap().get(host.getKey());
            boolean documentCurrent = Instant.parse(document.getCollectedAt()).equals(Instant.parse(host.getValue()));
            boolean indexCurrent = entry != null
                    && Instant.parse(entry.getCollectedAt()).equals(Instant.parse(host.getValue()));
            if (!documentCurrent || !indexCurrent) {
                lost++;
            }
        }
        return lost;
    }
}
