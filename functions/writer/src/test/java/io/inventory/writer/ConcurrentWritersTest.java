package io.inventory.writer;

import static io.inventory.writer.ResultEvents.error;
import static io.inventory.writer.ResultEvents.event;
import static io.inventory.writer.ResultEvents.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.inventory.proto.FleetEntry;
import io.inventory.proto.FleetIndex;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import io.inventory.testing.S3Emulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Eight writer invocations at once, sharing a few hosts, with results in random order: the bucket must end up as
 * if the results had been applied one by one in time order, and redelivering them all must change nothing.
 */
class ConcurrentWritersTest {

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final int WRITERS = 8;
    private static final int HOSTS = 4;
    private static final int RESULTS_PER_HOST = 30;
    private static final int BATCH_SIZE = 10;
    private static final Instant BASE = Instant.parse("2026-12-03T00:00:00Z");

    private static final AtomicInteger LOST_RACES = new AtomicInteger();
    private static final Map<String, AtomicInteger> RUN_OBJECT_WRITES = new ConcurrentHashMap<>();

    private static S3Emulator s3;
    private static S3Client writerClient;
    private static String bucket;

    @BeforeAll
    static void startEmulator() {
        s3 = S3Emulator.start();
        writerClient = s3.newClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(new RaceCounter())));
    }

    @AfterAll
    static void stopEmulator() {
        writerClient.close();
        s3.close();
    }

    @BeforeEach
    void freshBucket() {
        bucket = "concurrent-writers-" + BUCKETS.incrementAndGet();
        s3.createBucket(bucket);
        RUN_OBJECT_WRITES.clear();
        LOST_RACES.set(0);
    }

    @Test
    void concurrentWritersLoseNoUpdateAndTheNewestResultWins() throws Exception {
        Random random = new Random(20261203);
        List<InventoryResult> results = results(random);
        List<SQSMessage> deliveries = new ArrayList<>(results.stream().map(ResultEvents::message).toList());
        Collections.shuffle(deliveries, random);

        runConcurrently(deliveries);

        BucketContents contents = new BucketContents(s3.client(), bucket);
        assertThat(LOST_RACES.get()).as("412 and 409 answers: proof that the writers really contended").isPositive();
        assertThat(RUN_OBJECT_WRITES).as("every task materialised exactly once")
                .hasSize(results.size()).allSatisfy((key, writes) -> assertThat(writes.get()).isEqualTo(1));
        FleetIndex index = contents.fleetIndex();
        assertThat(index.getHostsCount()).isEqualTo(HOSTS);
        for (int host = 1; host <= HOSTS; host++) {
            String name = "HOST" + host;
            List<InventoryResult> forHost = results.stream().filter(r -> r.getHost().equals(name)).toList();
            InventoryResult newestOk = newest(forHost, "ok").orElseThrow();
            Optional<InventoryResult> newestError = newest(forHost, "error")
                    .filter(e -> collectedAt(e).isAfter(collectedAt(newestOk)));

            InventoryDocument document = contents.hostDocument(name.toLowerCase(Locale.ROOT));

            assertThat(document.getTaskId()).as("%s inventory is the newest ok result", name)
                    .isEqualTo(newestOk.getTaskId());
            assertThat(document.getProgramsCount()).isEqualTo(newestOk.getInventory().getProgramsCount());
            assertThat(document.hasLastError()).as("%s has a newer error", name).isEqualTo(newestError.isPresent());
            newestError.ifPresent(e -> assertThat(document.getLastError().getTaskId()).isEqualTo(e.getTaskId()));
            assertThat(index.getHostsOrThrow(name.toLowerCase(Locale.ROOT))).as("%s fleet index entry", name)
                    .isEqualTo(FleetEntry.newBuilder()
                            .setStatus("ok")
                            .setCollectedAt(newestOk.getCollectedAt())
                            .setProgramCount(newestOk.getInventory().getProgramsCount())
                            .setLastErrorAt(newestError.map(InventoryResult::getCollectedAt).orElse(""))
                            .putSectionCollectedAt("os", newestOk.getCollectedAt())
                            .putSectionCollectedAt("host", newestOk.getCollectedAt())
                            .putSectionCollectedAt("programs", newestOk.getCollectedAt())
                            .build());
        }
    }

    @Test
    void concurrentRedeliveriesChangeNothing() throws Exception {
        Random random = new Random(42);
        List<SQSMessage> deliveries = new ArrayList<>(results(random).stream().map(ResultEvents::message).toList());
        runConcurrently(deliveries);
        BucketContents contents = new BucketContents(s3.client(), bucket);
        Map<String, String> etags = new TreeMap<>();
        contents.keys().forEach(key -> etags.put(key, contents.etag(key)));
        RUN_OBJECT_WRITES.clear();
        List<SQSMessage> redeliveries = new ArrayList<>(deliveries.stream().map(ResultEvents::redelivery).toList());
        Collections.shuffle(redeliveries, random);

        runConcurrently(redeliveries);

        List<String> changed = contents.keys().stream()
                .filter(key -> !contents.etag(key).equals(etags.get(key)))
                .toList();
        assertThat(contents.keys()).as("no object added").hasSameSizeAs(etags.keySet());
        assertThat(changed).as("objects rewritten by redeliveries").isEmpty();
        assertThat(RUN_OBJECT_WRITES).as("no run object written again").isEmpty();
    }

    /** Eight writers take batches off one queue until it is empty; failed messages go back on it, as in SQS. */
    private static void runConcurrently(List<SQSMessage> deliveries) throws Exception {
        ConcurrentLinkedQueue<SQSMessage> queue = new ConcurrentLinkedQueue<>(deliveries);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Callable<Void>> writers = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            writers.add(() -> drain(queue));
        }

        for (Future<Void> writer : pool.invokeAll(writers, 5, TimeUnit.MINUTES)) {
            writer.get();
        }
        pool.shutdown();

        assertThat(queue).as("every delivery eventually succeeded").isEmpty();
    }

    /** One writer invocation after another, as the event source mapping would run them; failures go back. */
    private static Void drain(ConcurrentLinkedQueue<SQSMessage> queue) {
        WriterHandler handler = new WriterHandler(writerClient, WriterSettings.forBucket(bucket)
                .withCompareAndSwap(4, Duration.ofMillis(5), Duration.ofMillis(100)));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (System.nanoTime() < deadline) {
            List<SQSMessage> batch = new ArrayList<>();
            for (SQSMessage next = queue.poll(); next != null; next = batch.size() < BATCH_SIZE ? queue.poll() : null) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                return null;
            }

            SQSBatchResponse response = handler.handleRequest(event(batch), null);

            Map<String, SQSMessage> byId = batch.stream()
                    .collect(Collectors.toMap(SQSMessage::getMessageId, Function.identity(), (a, b) -> a));
            for (BatchItemFailure failure : response.getBatchItemFailures()) {
                queue.add(byId.get(failure.getItemIdentifier()));
            }
        }
        return null;
    }

    /** Every host gets ok and error results at distinct times, so the expected winner is unambiguous. */
    private static List<InventoryResult> results(Random random) {
        List<InventoryResult> results = new ArrayList<>();
        int line = 1;
        for (int host = 1; host <= HOSTS; host++) {
            List<Integer> minutes = new ArrayList<>();
            for (int m = 0; m < RESULTS_PER_HOST; m++) {
                minutes.add(m);
            }
            Collections.shuffle(minutes, random);
            for (int minute : minutes) {
                String at = BASE.plus(Duration.ofMinutes(minute)).toString();
                results.add(random.nextInt(5) == 0
                        ? error("HOST" + host, line, at, "COLLECTION_FAILED")
                        : ok("HOST" + host, line, at, 1 + random.nextInt(40)));
                line++;
            }
        }
        return results;
    }

    private static Optional<InventoryResult> newest(List<InventoryResult> results, String status) {
        return results.stream().filter(r -> r.getStatus().equals(status))
                .max(Comparator.comparing(ConcurrentWritersTest::collectedAt));
    }

    private static Instant collectedAt(InventoryResult result) {
        return Instant.parse(result.getCollectedAt());
    }

    /** Counts conditional writes that lost a race, and run objects written. */
    private static final class RaceCounter implements ExecutionInterceptor {
        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutObjectRequest put && put.key().startsWith("runs/")) {
                RUN_OBJECT_WRITES.computeIfAbsent(put.key(), k -> new AtomicInteger()).incrementAndGet();
            }
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            if (context.exception() instanceof S3Exception e && (e.statusCode() == 412 || e.statusCode() == 409)) {
                LOST_RACES.incrementAndGet();
            }
        }
    }
}
