package io.inventory.writer;

import static io.inventory.writer.ResultEvents.event;
import static io.inventory.writer.ResultEvents.message;
import static io.inventory.writer.ResultEvents.ok;
import static io.inventory.writer.ResultEvents.redelivery;
import static io.inventory.writer.ResultEvents.taskId;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.inventory.testing.S3Emulator;
import io.inventory.writer.FaultInjectingBlobStore.Operation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/** S3 answering with errors: what the SDK retries, what the writer retries, and what becomes a batch item failure. */
class S3FaultsTest {

    private static final int SDK_ATTEMPTS = 3;
    private static final int CAS_ATTEMPTS = 4;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private static FaultInjectingBlobStore faults;
    private static S3Emulator s3;
    private static S3Client writerClient;

    private String bucket;
    private WriterHandler handler;
    private BucketContents contents;

    @BeforeAll
    static void startEmulator() {
        s3 = S3Emulator.start(store -> faults = new FaultInjectingBlobStore(store));
        BackoffStrategy quick = BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(50));
        writerClient = s3.newClient(b -> b.overrideConfiguration(o -> o.retryStrategy(
                AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(SDK_ATTEMPTS)
                        .backoffStrategy(quick)
                        .throttlingBackoffStrategy(quick)
                        .circuitBreakerEnabled(false)
                        .build())));
    }

    @AfterAll
    static void stopEmulator() {
        writerClient.close();
        s3.close();
    }

    @BeforeEach
    void freshBucket() {
        faults.clear();
        bucket = "faults-" + BUCKETS.incrementAndGet();
        s3.createBucket(bucket);
        handler = new WriterHandler(writerClient, WriterSettings.forBucket(bucket)
                .withCompareAndSwap(CAS_ATTEMPTS, Duration.ofMillis(5), Duration.ofMillis(50)));
        contents = new BucketContents(s3.client(), bucket);
    }

    @ParameterizedTest(name = "status {0}")
    @ValueSource(ints = {500, 503})
    void transientServerErrorIsRetriedBySdkAndTheBatchSucceeds(int status) throws Exception {
        faults.fail(Operation.PUT, "hosts/ws01/payload.json", status, SDK_ATTEMPTS - 1);
        faults.fail(Operation.PUT, runKey(1), status, SDK_ATTEMPTS - 1);

        SQSBatchResponse response = handler.handleRequest(event(message(ok("WS01", 1, "2026-12-03T10:00:00Z", 2))),
                null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(faults.injected()).as("errors the SDK absorbed").isEqualTo(2 * (SDK_ATTEMPTS - 1));
        assertThat(contents.runObject(taskId(1))).isPresent();
        assertThat(contents.hostDocument("ws01").getTaskId()).isEqualTo(taskId(1));
    }

    @Test
    void persistentErrorOnRunObjectFailsOnlyThatMessageUntilS3Recovers() throws Exception {
        SQSMessage failing = message(ok("WS01", 1, "2026-12-03T10:00:00Z", 2));
        SQSMessage fine = message(ok("WS02", 2, "2026-12-03T10:00:00Z", 2));
        faults.fail(Operation.PUT, runKey(1), 503, Integer.MAX_VALUE);

        SQSBatchResponse response = handler.handleRequest(event(failing, fine), null);

        assertThat(failedIds(response)).containsExactly(failing.getMessageId());
        assertThat(contents.hostDocument("ws02").getTaskId()).isEqualTo(taskId(2));
        assertThat(contents.text("hosts/ws01/payload.json"))
                .as("a result that is not stored is not merged either").isEmpty();

        faults.clear();
        SQSBatchResponse retry = handler.handleRequest(event(redelivery(failing)), null);

        assertThat(retry.getBatchItemFailures()).isEmpty();
        assertThat(contents.runObject(taskId(1))).isPresent();
        assertThat(contents.hostDocument("ws01").getTaskId()).isEqualTo(taskId(1));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PUT", "GET"})
    void persistentErrorOnHostDocumentFailsThatHostsMessagesOnly(Operation operation) throws Exception {
        SQSMessage first = message(ok("WS01", 1, "2026-12-03T10:00:00Z", 1));
        SQSMessage second = message(ok("WS01", 2, "2026-12-03T11:00:00Z", 2));
        SQSMessage otherHost = message(ok("WS02", 3, "2026-12-03T10:00:00Z", 3));
        faults.fail(operation, "hosts/ws01/payload.json", 500, Integer.MAX_VALUE);

        SQSBatchResponse response = handler.handleRequest(event(first, otherHost, second), null);

        assertThat(failedIds(response)).containsExactly(first.getMessageId(), second.getMessageId());
        assertThat(contents.hostDocument("ws02").getTaskId()).isEqualTo(taskId(3));
        assertThat(contents.fleetIndex().getHostsMap()).containsOnlyKeys("ws02");

        faults.clear();
        SQSBatchResponse retry = handler.handleRequest(event(redelivery(second), redelivery(first)), null);

        assertThat(retry.getBatchItemFailures()).isEmpty();
        assertThat(contents.hostDocument("ws01").getTaskId()).isEqualTo(taskId(2));
        assertThat(contents.fleetIndex().getHostsMap()).containsOnlyKeys("ws01", "ws02");
    }

    @ParameterizedTest(name = "status {0}")
    @ValueSource(ints = {409, 412})
    void lostRaceIsRetriedByReadingAgain(int status) throws Exception {
        handler.handleRequest(event(message(ok("WS01", 1, "2026-12-03T10:00:00Z", 1))), null);
        faults.fail(Operation.PUT, "hosts/ws01/payload.json", status, CAS_ATTEMPTS - 1);

        SQSBatchResponse response = handler.handleRequest(event(message(ok("WS01", 2, "2026-12-03T11:00:00Z", 2))),
                null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(faults.injected()).isEqualTo(CAS_ATTEMPTS - 1);
        assertThat(contents.hostDocument("ws01").getTaskId()).isEqualTo(taskId(2));
    }

    @ParameterizedTest(name = "status {0}")
    @ValueSource(ints = {409, 412})
    void raceLostOnEveryAttemptFailsTheMessageForRedelivery(int status) throws Exception {
        handler.handleRequest(event(message(ok("WS01", 1, "2026-12-03T10:00:00Z", 1))), null);
        SQSMessage newer = message(ok("WS01", 2, "2026-12-03T11:00:00Z", 2));
        faults.fail(Operation.PUT, "hosts/ws01/payload.json", status, Integer.MAX_VALUE);

        SQSBatchResponse response = handler.handleRequest(event(newer), null);

        assertThat(failedIds(response)).containsExactly(newer.getMessageId());
        assertThat(contents.hostDocument("ws01").getTaskId()).isEqualTo(taskId(1));

        faults.clear();
        handler.handleRequest(event(redelivery(newer)), null);

        assertThat(contents.hostDocument("ws01").getTaskId()).isEqualTo(taskId(2));
    }

    @Test
    void conflictOnRunObjectIsRetriedAndTheResultStoredOnce() throws Exception {
        faults.fail(Operation.PUT, runKey(1), 409, CAS_ATTEMPTS - 1);

        SQSBatchResponse response = handler.handleRequest(event(message(ok("WS01", 1, "2026-12-03T10:00:00Z", 1))),
                null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(contents.runObject(taskId(1))).isPresent();
    }

    @Test
    void failedFleetIndexWriteFailsTheMessagesAndRedeliveryRepairsTheIndex() throws Exception {
        SQSMessage result = message(ok("WS01", 1, "2026-12-03T10:00:00Z", 4));
        faults.fail(Operation.PUT, "payload.json", 503, Integer.MAX_VALUE);

        SQSBatchResponse response = handler.handleRequest(event(result), null);

        assertThat(failedIds(response)).containsExactly(result.getMessageId());
        assertThat(contents.hostDocument("ws01").getProgramsCount()).as("the host document is written").isEqualTo(4);
        assertThat(contents.text("payload.json")).isEmpty();

        faults.clear();
        SQSBatchResponse retry = handler.handleRequest(event(redelivery(result)), null);

        assertThat(retry.getBatchItemFailures()).isEmpty();
        assertThat(contents.fleetIndex().getHostsOrThrow("ws01").getProgramCount()).isEqualTo(4);
    }

    private static String runKey(int line) {
        return "runs/" + ResultEvents.RUN_ID + "/" + taskId(line) + ".json";
    }

    private static List<String> failedIds(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(BatchItemFailure::getItemIdentifier).toList();
    }
}
