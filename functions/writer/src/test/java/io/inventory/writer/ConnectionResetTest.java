package io.inventory.writer;

import static io.inventory.writer.ResultEvents.event;
import static io.inventory.writer.ResultEvents.message;
import static io.inventory.writer.ResultEvents.ok;
import static io.inventory.writer.ResultEvents.taskId;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.inventory.testing.S3Emulator;
import io.inventory.writer.ResettingProxy.When;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Connections reset by the network, before S3 saw the request or after S3 applied it: the SDK retries, and a retry
 * that finds its own earlier write (412) must neither fail nor apply the result twice.
 */
class ConnectionResetTest {

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private static S3Emulator s3;
    private static ResettingProxy proxy;
    private static S3Client writerClient;

    private String bucket;
    private WriterHandler handler;
    private BucketContents contents;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Emulator.start();
        proxy = new ResettingProxy(s3.endpoint());
        BackoffStrategy quick = BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(50));
        writerClient = s3.newClient(b -> b.endpointOverride(proxy.endpoint())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(3)
                        .backoffStrategy(quick)
                        .circuitBreakerEnabled(false)
                        .build())));
    }

    @AfterAll
    static void stop() throws Exception {
        writerClient.close();
        proxy.close();
        s3.close();
    }

    @BeforeEach
    void freshBucket() {
        proxy.reset("", When.BEFORE_REQUEST, 0);
        bucket = "resets-" + BUCKETS.incrementAndGet();
        s3.createBucket(bucket);
        handler = new WriterHandler(writerClient, WriterSettings.forBucket(bucket));
        contents = new BucketContents(s3.client(), bucket);
    }

    @ParameterizedTest
    @EnumSource(When.class)
    void resetDuringRunObjectWriteStoresTheResultOnce(When when) throws Exception {
        proxy.reset("PUT /" + bucket + "/runs/", when, 1);

        SQSBatchResponse response = handler.handleRequest(event(message(ok("WS01", 1, "2026-12-03T10:00:00Z", 2))),
                null);

        assertThat(proxy.resetsDone()).as("connections reset").isEqualTo(1);
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(contents.runObject(taskId(1))).isPresent();
        assertThat(contents.hostDocument("ws01").getTaskId()).isEqualTo(taskId(1));
    }

    @ParameterizedTest
    @EnumSource(When.class)
    void resetDuringHostDocumentUpdateLeavesTheNewestDocument(When when) throws Exception {
        handler.handleRequest(event(message(ok("WS01", 1, "2026-12-03T10:00:00Z", 1))), null);
        proxy.reset("PUT /" + bucket + "/hosts/ws01/payload.json", when, 1);

        SQSBatchResponse response = handler.handleRequest(event(message(ok("WS01", 2, "2026-12-03T11:00:00Z", 2))),
                null);

        assertThat(proxy.resetsDone()).isEqualTo(1);
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(contents.hostDocument("ws01").getTaskId()).isEqualTo(taskId(2));
        assertThat(contents.hostDocument("ws01").getProgramsCount()).isEqualTo(2);
    }

    @Test
    void resetBeforeEveryAttemptFailsOnlyThatHostsMessage() throws Exception {
        SQSMessage unlucky = message(ok("WS01", 1, "2026-12-03T10:00:00Z", 1));
        SQSMessage lucky = message(ok("WS02", 2, "2026-12-03T10:00:00Z", 1));
        proxy.reset("PUT /" + bucket + "/hosts/ws01/payload.json", When.BEFORE_REQUEST, Integer.MAX_VALUE);

        SQSBatchResponse response = handler.handleRequest(event(unlucky, lucky), null);

        assertThat(response.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier)
                .containsExactly(unlucky.getMessageId());
        assertThat(contents.text("hosts/ws01/payload.json")).isEmpty();
        assertThat(contents.hostDocument("ws02").getTaskId()).isEqualTo(taskId(2));
    }

    @Test
    void writeThatLandedBehindResetAnswersIsConfirmedByReadingAgain() throws Exception {
        SQSMessage result = message(ok("WS01", 1, "2026-12-03T10:00:00Z", 1));
        proxy.reset("PUT /" + bucket + "/hosts/ws01/payload.json", When.AFTER_REQUEST, Integer.MAX_VALUE);

        SQSBatchResponse response = handler.handleRequest(event(result), null);

        assertThat(proxy.resetsDone()).as("every answer to the put was lost").isPositive();
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(contents.hostDocument("ws01").getTaskId()).isEqualTo(taskId(1));
    }
}
