package io.inventory.writer;

import static io.inventory.writer.ResultEvents.error;
import static io.inventory.writer.ResultEvents.event;
import static io.inventory.writer.ResultEvents.message;
import static io.inventory.writer.ResultEvents.ok;
import static io.inventory.writer.ResultEvents.osOnly;
import static io.inventory.writer.ResultEvents.redelivery;
import static io.inventory.writer.ResultEvents.taskId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.inventory.codec.ProtoJson;
import io.inventory.proto.FleetEntry;
import io.inventory.proto.FleetIndex;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import io.inventory.queue.EncodedMessage;
import io.inventory.queue.QueueMessageCodec;
import io.inventory.testing.S3Emulator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

class WriterHandlerTest {

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final List<String> PUT_KEYS = new CopyOnWriteArrayList<>();

    private static S3Emulator s3;
    private static S3Client writerClient;

    private String bucket;
    private WriterHandler handler;
    private BucketContents contents;

    @BeforeAll
    static void startEmulator() {
        s3 = S3Emulator.start();
        writerClient = s3.newClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(new PutRecorder())));
    }

    @AfterAll
    static void stopEmulator() {
        writerClient.close();
        s3.close();
    }

    @BeforeEach
    void freshBucket() {
        bucket = "writer-test-" + BUCKETS.incrementAndGet();
        s3.createBucket(bucket);
        handler = new WriterHandler(writerClient, WriterSettings.forBucket(bucket));
        contents = new BucketContents(s3.client(), bucket);
        PUT_KEYS.clear();
    }

    @Test
    void okResultIsStoredAsReceivedAndBecomesTheHostDocument() throws Exception {
        InventoryResult result = ok("WS01", 1, "2026-12-03T10:00:00Z", 3);
        SQSMessage message = message(result);

        SQSBatchResponse response = handler.handleRequest(event(message), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(contents.runObject(taskId(1))).contains(message.getBody());
        InventoryDocument document = contents.hostDocument("ws01");
        assertThat(document.getHost().getName()).isEqualTo("WS01");
        assertThat(document.getCollectedAt()).isEqualTo("2026-12-03T10:00:00Z");
        assertThat(document.getProgramsList()).hasSize(3);
        assertThat(document.getTaskId()).isEqualTo(taskId(1));
        assertThat(document.getRunId()).isEqualTo(ResultEvents.RUN_ID);
        assertThat(contents.text("hosts/ws01/payload.json").orElseThrow())
                .as("payload.json is pretty JSON with the proto field names")
                .contains("\n  \"collected_at\": \"2026-12-03T10:00:00Z\"");
        assertThat(contents.fleetIndex().getHostsMap()).containsExactly(Map.entry("ws01", FleetEntry.newBuilder()
                .setStatus("ok").setCollectedAt("2026-12-03T10:00:00Z").setProgramCount(3)
                .putSectionCollectedAt("os", "2026-12-03T10:00:00Z")
                .putSectionCollectedAt("host", "2026-12-03T10:00:00Z")
                .putSectionCollectedAt("programs", "2026-12-03T10:00:00Z").build()));
    }

    @Test
    void duplicateResultCountsAsSuccess() {
        SQSMessage message = message(ok("WS01", 1, "2026-12-03T10:00:00Z", 3));
        handler.handleRequest(event(message), null);
        String documentEtag = contents.etag("hosts/ws01/payload.json");
        String runEtag = contents.etag("runs/" + ResultEvents.RUN_ID + "/" + taskId(1) + ".json");

        SQSBatchResponse response = handler.handleRequest(event(redelivery(message)), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(contents.etag("hosts/ws01/payload.json")).as("host document untouched").isEqualTo(documentEtag);
        assertThat(contents.etag("runs/" + ResultEvents.RUN_ID + "/" + taskId(1) + ".json"))
                .as("run object written once").isEqualTo(runEtag);
    }

    @Test
    void duplicateWithinOneBatchCountsAsSuccess() throws Exception {
        SQSMessage message = message(ok("WS01", 1, "2026-12-03T10:00:00Z", 3));
        SQSMessage copy = message(message.getBody(), Map.of());

        SQSBatchResponse response = handler.handleRequest(event(message, copy), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(contents.hostDocument("ws01").getTaskId()).isEqualTo(taskId(1));
    }

    @Test
    void olderResultNeverOverwritesNewerOne() throws Exception {
        handler.handleRequest(event(message(ok("WS01", 2, "2026-12-03T12:00:00Z", 5))), null);

        SQSBatchResponse response = handler.handleRequest(event(message(ok("WS01", 1, "2026-12-03T10:00:00Z", 1))),
                null);

        assertThat(response.getBatchItemFailures()).as("an old result is not an error").isEmpty();
        InventoryDocument document = contents.hostDocument("ws01");
        assertThat(document.getTaskId()).isEqualTo(taskId(2));
        assertThat(document.getProgramsList()).hasSize(5);
        assertThat(contents.runObject(taskId(1))).as("the old result is still materialised").isPresent();
        assertThat(contents.fleetIndex().getHostsOrThrow("ws01").getProgramCount()).isEqualTo(5);
    }

    @Test
    void newerResultReplacesOlderOneAcrossTimeZoneOffsets() throws Exception {
        handler.handleRequest(event(message(ok("WS01", 1, "2026-12-03T10:00:00Z", 1))), null);

        handler.handleRequest(event(message(ok("WS01", 2, "2026-12-03T11:30:00+01:00", 2))), null);

        assertThat(contents.hostDocument("ws01").getTaskId()).as("10:30Z is after 10:00Z").isEqualTo(taskId(2));
    }

    @Test
    void osOnlyResultAfterFullOneKeepsTheProgramsInTheHostDocument() throws Exception {
        handler.handleRequest(event(message(ok("WS01", 1, "2026-11-03T10:00:00Z", 4))), null);

        SQSBatchResponse response = handler.handleRequest(
                event(message(osOnly("WS01", 2, "2026-12-03T10:00:00Z", "Windows 11 Enterprise"))), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        InventoryDocument document = contents.hostDocument("ws01");
        assertThat(document.getProgramsList()).hasSize(4);
        assertThat(document.getOs().getProductName()).isEqualTo("Windows 11 Enterprise");
        assertThat(document.getSectionCollectedAtMap()).containsEntry("programs", "2026-11-03T10:00:00Z")
                .containsEntry("os", "2026-12-03T10:00:00Z");
        assertThat(document.getTaskId()).isEqualTo(taskId(2));
        assertThat(contents.fleetIndex().getHostsMap().get("ws01").getProgramCount()).isEqualTo(4);
    }

    @Test
    void olderFullResultAfterNewerOsOnlyOneUpdatesTheFleetIndexProgramCount() throws Exception {
        handler.handleRequest(event(message(osOnly("WS01", 2, "2026-12-03T10:00:00Z", "Windows 11 Pro"))), null);

        handler.handleRequest(event(message(ok("WS01", 1, "2026-11-03T10:00:00Z", 4))), null);

        assertThat(contents.hostDocument("ws01").getProgramsList()).hasSize(4);
        FleetEntry entry = contents.fleetIndex().getHostsMap().get("ws01");
        assertThat(entry.getCollectedAt()).as("the newest task still dates the document")
                .isEqualTo("2026-12-03T10:00:00Z");
        assertThat(entry.getProgramCount()).as("the older task filled in the programs").isEqualTo(4);
    }

    @Test
    void sectionTimeThatIsNotRfc3339IsRejectedNamingTheSection() {
        InventoryResult result = osOnly("WS01", 1, "2026-12-03T10:00:00Z", "Windows 11 Pro");
        result = result.toBuilder().setInventory(result.getInventory().toBuilder()
                .putSectionCollectedAt("os", "last tuesday")).build();
        SQSMessage message = message(result);

        SQSBatchResponse response = handler.handleRequest(event(message), null);

        assertThat(response.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier)
                .containsExactly(message.getMessageId());
        assertThat(contents.text("hosts/ws01/payload.json")).isEmpty();
        assertThatThrownBy(() -> ReceivedResult.from(message)).as("the reason the writer logs")
                .hasMessage("field inventory.section_collected_at[os]: 'last tuesday' is not an RFC 3339 time");
    }

    @Test
    void errorResultKeepsTheLastGoodInventory() throws Exception {
        handler.handleRequest(event(message(ok("WS01", 1, "2026-12-03T10:00:00Z", 4))), null);

        SQSBatchResponse response = handler.handleRequest(
                event(message(error("WS01", 2, "2026-12-03T11:00:00Z", "COLLECTION_FAILED"))), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        InventoryDocument document = contents.hostDocument("ws01");
        assertThat(document.getTaskId()).isEqualTo(taskId(1));
        assertThat(document.getProgramsList()).hasSize(4);
        assertThat(document.getStatus()).isEqualTo("ok");
        assertThat(document.getLastError().getCode()).isEqualTo("COLLECTION_FAILED");
        assertThat(document.getLastError().getAt()).isEqualTo("2026-12-03T11:00:00Z");
        assertThat(document.getLastError().getTaskId()).isEqualTo(taskId(2));
        assertThat(contents.runObject(taskId(2))).as("the error result is materialised too").isPresent();
        assertThat(contents.fleetIndex().getHostsOrThrow("ws01").getLastErrorAt()).isEqualTo("2026-12-03T11:00:00Z");
    }

    @Test
    void errorForHostWithoutInventoryCreatesErrorDocument() throws Exception {
        handler.handleRequest(event(message(error("WS02", 1, "2026-12-03T11:00:00Z", "INVALID_TASK"))), null);

        InventoryDocument document = contents.hostDocument("ws02");
        assertThat(document.getStatus()).isEqualTo("error");
        assertThat(document.getHost().getName()).isEqualTo("WS02");
        assertThat(document.getLastError().getCode()).isEqualTo("INVALID_TASK");
        assertThat(document.getProgramsList()).isEmpty();
    }

    @Test
    void laterInventoryClearsAnOlderError() throws Exception {
        handler.handleRequest(event(message(error("WS01", 1, "2026-12-03T10:00:00Z", "COLLECTION_FAILED"))), null);

        handler.handleRequest(event(message(ok("WS01", 2, "2026-12-03T11:00:00Z", 2))), null);

        InventoryDocument document = contents.hostDocument("ws01");
        assertThat(document.getStatus()).isEqualTo("ok");
        assertThat(document.hasLastError()).isFalse();
    }

    @Test
    void resultsForOneHostInOneBatchAreMergedIntoOnePut() throws Exception {
        List<SQSMessage> batch = List.of(
                message(ok("WS01", 1, "2026-12-03T10:00:00Z", 1)),
                message(ok("WS01", 3, "2026-12-03T12:00:00Z", 3)),
                message(error("WS01", 4, "2026-12-03T13:00:00Z", "COLLECTION_FAILED")),
                message(ok("WS01", 2, "2026-12-03T11:00:00Z", 2)),
                message(ok("WS02", 5, "2026-12-03T10:00:00Z", 7)));

        SQSBatchResponse response = handler.handleRequest(event(batch), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(PUT_KEYS).filteredOn(key -> key.startsWith("hosts/"))
                .containsExactlyInAnyOrder("hosts/ws01/payload.json", "hosts/ws02/payload.json");
        assertThat(PUT_KEYS).filteredOn(key -> key.startsWith("runs/")).hasSize(5);
        assertThat(PUT_KEYS).filteredOn("payload.json"::equals).as("one fleet index write per batch").hasSize(1);
        InventoryDocument document = contents.hostDocument("ws01");
        assertThat(document.getTaskId()).isEqualTo(taskId(3));
        assertThat(document.getLastError().getTaskId()).isEqualTo(taskId(4));
    }

    @Test
    void hostNamesDifferingOnlyInCaseShareOneDocument() throws Exception {
        handler.handleRequest(event(message(ok("WS01", 1, "2026-12-03T10:00:00Z", 1))), null);

        handler.handleRequest(event(message(ok("ws01", 2, "2026-12-03T11:00:00Z", 2))), null);

        assertThat(contents.keys()).filteredOn(key -> key.startsWith("hosts/")).containsExactly(
                "hosts/ws01/payload.json");
        assertThat(contents.hostDocument("ws01").getTaskId()).isEqualTo(taskId(2));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON              | this is not json
            JSON array            | [1, 2, 3]
            wrong field type      | {"task_id": "run-1-L1", "run_id": "run-1", "host": "WS09", "status": "ok", \
            "collected_at": "2026-12-03T10:00:00Z", "inventory": "not an object"}
            unknown status        | {"task_id": "run-1-L1", "run_id": "run-1", "host": "WS09", "status": "done", \
            "collected_at": "2026-12-03T10:00:00Z"}
            missing task_id       | {"run_id": "run-1", "host": "WS09", "status": "error", \
            "collected_at": "2026-12-03T10:00:00Z"}
            missing host          | {"task_id": "run-1-L1", "run_id": "run-1", "status": "error", \
            "collected_at": "2026-12-03T10:00:00Z"}
            host not a key        | {"task_id": "run-1-L1", "run_id": "run-1", "host": "../etc", "status": "error", \
            "collected_at": "2026-12-03T10:00:00Z"}
            host with slash       | {"task_id": "run-1-L1", "run_id": "run-1", "host": "a/b", "status": "error", \
            "collected_at": "2026-12-03T10:00:00Z"}
            bad collected_at      | {"task_id": "run-1-L1", "run_id": "run-1", "host": "WS09", "status": "error", \
            "collected_at": "yesterday"}
            ok without inventory  | {"task_id": "run-1-L1", "run_id": "run-1", "host": "WS09", "status": "ok", \
            "collected_at": "2026-12-03T10:00:00Z"}
            """)
    void poisonMessageFailsOnlyItself(String problem, String body) throws Exception {
        SQSMessage good = message(ok("WS01", 1, "2026-12-03T10:00:00Z", 2));
        SQSMessage poison = message(body, Map.of());
        SQSMessage alsoGood = message(ok("WS02", 2, "2026-12-03T10:00:00Z", 2));

        SQSBatchResponse response = handler.handleRequest(event(good, poison, alsoGood), null);

        assertThat(response.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier)
                .containsExactly(poison.getMessageId());
        assertThat(contents.hostDocument("ws01").getTaskId()).isEqualTo(taskId(1));
        assertThat(contents.hostDocument("ws02").getTaskId()).isEqualTo(taskId(2));
        assertThat(contents.keys()).noneMatch(key -> key.contains("WS09") || key.contains("ws09"));
    }

    @Test
    void bodyMarkedCompressedButNotGzipIsPoison() {
        SQSMessage poison = message("not base64 gzip", Map.of(QueueMessageCodec.CONTENT_ENCODING, "gzip+base64"));

        SQSBatchResponse response = handler.handleRequest(event(poison), null);

        assertThat(response.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier)
                .containsExactly(poison.getMessageId());
    }

    @Test
    void compressedResultIsDecodedAndStoredAsJson() throws Exception {
        InventoryResult result = ok("WS01", 1, "2026-12-03T10:00:00Z", 500);
        EncodedMessage encoded = new QueueMessageCodec(QueueMessageCodec.DEFAULT_MAX_MESSAGE_BYTES, 1024)
                .encode(result, Map.of());
        assertThat(encoded.compressed()).as("precondition: the fixture is compressed").isTrue();

        SQSBatchResponse response = handler.handleRequest(event(message(encoded.body(), encoded.attributes())), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(contents.hostDocument("ws01").getProgramsList()).hasSize(500);
        assertThat(ProtoJson.<InventoryResult>parse(contents.runObject(taskId(1)).orElseThrow(),
                InventoryResult.newBuilder())).isEqualTo(result);
    }

    @Test
    void keyPrefixPlacesEveryObjectUnderIt() throws Exception {
        WriterHandler prefixed = new WriterHandler(writerClient, WriterSettings.forBucket(bucket).withKeyPrefix("inv"));

        prefixed.handleRequest(event(message(ok("WS01", 1, "2026-12-03T10:00:00Z", 1))), null);

        assertThat(contents.keys()).containsExactlyInAnyOrder(
                "inv/runs/" + ResultEvents.RUN_ID + "/" + taskId(1) + ".json",
                "inv/hosts/ws01/payload.json",
                "inv/payload.json");
    }

    @Test
    void fleetIndexCanBeTurnedOff() {
        WriterHandler noIndex = new WriterHandler(writerClient, WriterSettings.forBucket(bucket)
                .withFleetIndexShards(0));

        noIndex.handleRequest(event(message(ok("WS01", 1, "2026-12-03T10:00:00Z", 1))), null);

        assertThat(contents.keys()).noneMatch(key -> key.equals("payload.json") || key.startsWith("fleet/"));
    }

    @Test
    void shardedFleetIndexSpreadsHostsOverShardObjects() throws Exception {
        WriterHandler sharded = new WriterHandler(writerClient, WriterSettings.forBucket(bucket)
                .withFleetIndexShards(4));
        List<SQSMessage> batch = new java.util.ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            batch.add(message(ok("WS" + i, i, "2026-12-03T10:00:00Z", i)));
        }

        SQSBatchResponse response = sharded.handleRequest(event(batch), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        List<String> shardKeys = contents.keys().stream().filter(key -> key.startsWith("fleet/")).toList();
        assertThat(shardKeys).hasSizeGreaterThan(1).allMatch(key -> key.matches("fleet/00[0-3]\\.json"));
        int indexed = 0;
        for (String key : shardKeys) {
            FleetIndex shard = ProtoJson.parse(contents.text(key).orElseThrow(), FleetIndex.newBuilder());
            for (String host : shard.getHostsMap().keySet()) {
                assertThat(key).isEqualTo(String.format("fleet/%03d.json", ResultBatchWriter.shardOf(host, 4)));
            }
            indexed += shard.getHostsCount();
        }
        assertThat(indexed).isEqualTo(12);
    }

    @Test
    void emptyBatchSucceeds() {
        SQSBatchResponse response = handler.handleRequest(event(List.of()), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    /** Records the key of every PutObject the writer sends. */
    private static final class PutRecorder implements ExecutionInterceptor {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutObjectRequest put) {
                PUT_KEYS.add(put.key());
            }
        }
    }
}
