package io.inventory.writer;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.inventory.codec.InvalidMessageException;
import io.inventory.codec.ProtoJson;
import io.inventory.proto.FleetEntry;
import io.inventory.proto.FleetIndex;
import io.inventory.proto.InventoryDocument;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Writes one batch of results to the bucket and says which messages must be retried.
 *
 * <p>Per message, the result is stored once under {@code runs/<run_id>/<task_id>.json}. Per host, all the batch's
 * results are merged into {@code hosts/<host>/payload.json} with one conditional put. Then each touched fleet
 * index shard gets one conditional put. A message fails when a write it depends on failed: its own run object, its
 * host's document, or its host's index shard. Every write is idempotent, so a retried message is harmless.
 */
final class ResultBatchWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ResultBatchWriter.class);

    static final int LARGE_SINGLE_INDEX_HOSTS = 1000;

    private final AtomicBoolean largeIndexReported = new AtomicBoolean();

    private final WriterSettings settings;
    private final CompareAndSwap objects;
    private final ExecutorService executor;
    private final Clock clock;

    ResultBatchWriter(ConditionalObjectStore store, WriterSettings settings, ExecutorService executor, Clock clock) {
        this.settings = settings;
        this.objects = new CompareAndSwap(store, settings.casMaxAttempts(), settings.casBaseDelay(),
                settings.casMaxDelay());
        this.executor = executor;
        this.clock = clock;
    }

    /** Writes the batch and returns the ids of the messages that failed, in batch order. */
    List<String> write(List<SQSMessage> messages) {
        Set<String> failed = new LinkedHashSet<>();
        Map<HostKey, List<ReceivedResult>> byHost = new LinkedHashMap<>();
        for (SQSMessage message : messages) {
            try {
                ReceivedResult result = ReceivedResult.from(message);
                byHost.computeIfAbsent(result.hostKey(), k -> new ArrayList<>()).add(result);
            } catch (InvalidMessageException e) {
                LOG.warn("message={} receive={} rejected: {}; it stays on the queue until redrive moves it to the "
                        + "dead-letter queue", message.getMessageId(), receiveCount(message), e.getMessage());
                failed.add(message.getMessageId());
            }
        }

        List<HostOutcome> outcomes = writeHosts(byHost);

        Map<String, HostOutcome> indexed = new LinkedHashMap<>();
        for (HostOutcome outcome : outcomes) {
            failed.addAll(outcome.failedMessageIds());
            if (outcome.document() != null && !outcome.stored().isEmpty()) {
                indexed.put(outcome.hostKey().value(), outcome);
            }
        }
        if (settings.fleetIndexShards() > 0) {
            failed.addAll(writeFleetIndex(indexed));
        }

        List<String> ordered = new ArrayList<>();
        for (SQSMessage message : messages) {
            if (failed.contains(message.getMessageId())) {
                ordered.add(message.getMessageId());
            }
        }
        return ordered;
    }

    private List<HostOutcome> writeHosts(Map<HostKey, List<ReceivedResult>> byHost) {
        List<Future<HostOutcome>> futures = new ArrayList<>();
        for (Map.Entry<HostKey, List<ReceivedResult>> host : byHost.entrySet()) {
            futures.add(executor.submit(() -> writeHost(host.getKey(), host.getValue())));
        }

        List<HostOutcome> outcomes = new ArrayList<>();
        int i = 0;
        for (Map.Entry<HostKey, List<ReceivedResult>> host : byHost.entrySet()) {
            outcomes.add(await(futures.get(i++), host.getKey(), host.getValue()));
        }
        return outcomes;
    }

    private static HostOutcome await(Future<HostOutcome> future, HostKey host, List<ReceivedResult> results) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            LOG.error("host={} unexpected failure, its {} messages will be retried", host, results.size(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("host={} interrupted, its {} messages will be retried", host, results.size());
        }
        return HostOutcome.failed(host, results);
    }

    private HostOutcome writeHost(HostKey host, List<ReceivedResult> results) {
        List<ReceivedResult> stored = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (ReceivedResult result : results) {
            if (storeRunObject(result)) {
                stored.add(result);
            } else {
                failed.add(result.messageId());
            }
        }
        if (stored.isEmpty()) {
            return new HostOutcome(host, null, stored, failed);
        }

        String key = hostDocumentKey(host);
        try {
            InventoryDocument document = objects.update(key, new HostDocumentChange(stored));
            LOG.info("host={} document at collected_at={} last_error_at={} after {} results (tasks {})",
                    host, document.getCollectedAt(), document.getLastError().getAt(), stored.size(), taskIds(stored));
            return new HostOutcome(host, document, stored, failed);
        } catch (InvalidMessageException e) {
            LOG.error("host={} key={} the stored document is not readable ({}); its {} messages will be retried "
                    + "and reach the dead-letter queue unless the document is repaired", host, key, e.getMessage(),
                    stored.size());
        } catch (WriteContentionException e) {
            LOG.warn("host={} {}; its {} messages will be retried", host, e.getMessage(), stored.size());
        } catch (SdkException e) {
            LOG.error("host={} key={} S3 request failed after the SDK's retries ({}); its {} messages will be "
                    + "retried", host, key, e.getMessage(), stored.size());
        }
        stored.forEach(result -> failed.add(result.messageId()));
        return new HostOutcome(host, null, List.of(), failed);
    }

    /** Stores a result once; true when it is stored now or was before (a redelivery). */
    private boolean storeRunObject(ReceivedResult result) {
        String key = settings.keyPrefix() + "runs/" + result.runId() + "/" + result.taskId() + ".json";
        try {
            if (objects.createOnce(key, result.json())) {
                LOG.debug("run={} task={} host={} stored at {}", result.runId(), result.taskId(), result.hostKey(),
                        key);
            } else {
                LOG.info("run={} task={} host={} already stored: a redelivered duplicate, counted as done",
                        result.runId(), result.taskId(), result.hostKey());
            }
            return true;
        } catch (WriteContentionException e) {
            LOG.warn("run={} task={} host={} {}; the message will be retried", result.runId(), result.taskId(),
                    result.hostKey(), e.getMessage());
        } catch (SdkException e) {
            LOG.error("run={} task={} host={} storing {} failed after the SDK's retries ({}); the message will be "
                    + "retried", result.runId(), result.taskId(), result.hostKey(), key, e.getMessage());
        }
        return false;
    }

    private List<String> writeFleetIndex(Map<String, HostOutcome> hosts) {
        Map<Integer, Map<String, FleetEntry>> shards = new LinkedHashMap<>();
        for (HostOutcome outcome : hosts.values()) {
            int shard = shardOf(outcome.hostKey().value(), settings.fleetIndexShards());
            shards.computeIfAbsent(shard, s -> new LinkedHashMap<>())
                    .put(outcome.hostKey().value(), FleetIndexMerge.entryOf(outcome.document()));
        }

        List<String> failed = new ArrayList<>();
        for (Map.Entry<Integer, Map<String, FleetEntry>> shard : shards.entrySet()) {
            String key = fleetIndexKey(shard.getKey());
            try {
                FleetIndex index = objects.update(key, new FleetIndexChange(shard.getValue(), clock));
                LOG.debug("fleet index {} has the entries of {} hosts", key, shard.getValue().size());
                warnIfSingleIndexIsLarge(index);
                continue;
            } catch (InvalidMessageException e) {
                LOG.error("key={} the stored fleet index is not readable ({}); messages of hosts {} will be "
                        + "retried", key, e.getMessage(), shard.getValue().keySet());
            } catch (WriteContentionException e) {
                LOG.warn("{}; messages of hosts {} will be retried", e.getMessage(), shard.getValue().keySet());
            } catch (SdkException e) {
                LOG.error("key={} S3 request failed after the SDK's retries ({}); messages of hosts {} will be "
                        + "retried", key, e.getMessage(), shard.getValue().keySet());
            }
            for (String host : shard.getValue().keySet()) {
                hosts.get(host).stored().forEach(result -> failed.add(result.messageId()));
            }
        }
        return failed;
    }

    /**
     * One index object is rewritten whole by every batch, and every concurrent writer contends on it: measured on
     * the emulator, beyond about a thousand hosts batches start failing on lost races. Say so once per sandbox.
     */
    private void warnIfSingleIndexIsLarge(FleetIndex index) {
        if (settings.fleetIndexShards() == 1 && index != null && index.getHostsCount() > LARGE_SINGLE_INDEX_HOSTS
                && !largeIndexReported.getAndSet(true)) {
            LOG.warn("fleet index {} lists {} hosts in one object that every batch rewrites; set FLEET_INDEX_SHARDS "
                    + "to 64 or more (or 0) to cut the bytes per batch and the contention between writers",
                    fleetIndexKey(0), index.getHostsCount());
        }
    }

    String hostDocumentKey(HostKey host) {
        return settings.keyPrefix() + "hosts/" + host.value() + "/payload.json";
    }

    String fleetIndexKey(int shard) {
        if (settings.fleetIndexShards() == 1) {
            return settings.keyPrefix() + "payload.json";
        }
        return settings.keyPrefix() + "fleet/" + String.format("%03d", shard) + ".json";
    }

    /** The shard of a host key: CRC-32 of its UTF-8 bytes modulo the shard count, easy to repeat in any language. */
    static int shardOf(String hostKey, int shards) {
        CRC32 crc = new CRC32();
        crc.update(hostKey.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shards);
    }

    private static String receiveCount(SQSMessage message) {
        Map<String, String> attributes = message.getAttributes();
        return attributes == null ? "?" : attributes.getOrDefault("ApproximateReceiveCount", "?");
    }

    private static List<String> taskIds(List<ReceivedResult> results) {
        return results.stream().map(ReceivedResult::taskId).toList();
    }

    /**
     * What happened to one host's results.
     *
     * @param document         the host's document as now stored; null when its update failed
     * @param stored           the results that are in the document (or were already reflected in it)
     * @param failedMessageIds messages that must be retried
     */
    private record HostOutcome(HostKey hostKey, InventoryDocument document, List<ReceivedResult> stored,
                               List<String> failedMessageIds) {

        static HostOutcome failed(HostKey host, List<ReceivedResult> results) {
            return new HostOutcome(host, null, List.of(), results.stream().map(ReceivedResult::messageId).toList());
        }
    }

    private record HostDocumentChange(List<ReceivedResult> results)
            implements CompareAndSwap.Change<InventoryDocument> {

        @Override
        public InventoryDocument parse(String text) throws InvalidMessageException {
            return ProtoJson.parse(text, InventoryDocument.newBuilder());
        }

        @Override
        public InventoryDocument apply(InventoryDocument current) {
            return HostDocumentMerge.apply(current, results);
        }

        @Override
        public String print(InventoryDocument value) {
            return ProtoJson.toPrettyJson(value) + "\n";
        }
    }

    private record FleetIndexChange(Map<String, FleetEntry> entries, Clock clock)
            implements CompareAndSwap.Change<FleetIndex> {

        @Override
        public FleetIndex parse(String text) throws InvalidMessageException {
            return ProtoJson.parse(text, FleetIndex.newBuilder());
        }

        @Override
        public FleetIndex apply(FleetIndex current) {
            return FleetIndexMerge.apply(current, entries, clock.instant());
        }

        @Override
        public String print(FleetIndex value) {
            // Compact: the index grows with the fleet and is rewritten whole on every change.
            return ProtoJson.toJson(value);
        }
    }
}
