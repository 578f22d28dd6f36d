package io.inventory.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.inventory.testing.SqsEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The event source mapping against real ElasticMQ queues; the handlers are small test functions, which is the
 * seam this class is about.
 */
class EventSourceMappingTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final AtomicInteger QUEUE_NUMBER = new AtomicInteger();

    private static SqsEmulator sqs;

    @BeforeAll
    static void startSqs() {
        sqs = SqsEmulator.start();
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
    }

    @Test
    void deletesHandledMessagesAndDeadLettersTheOnesReportedAsFailed() {
        SqsEmulator.QueuePair queue = newQueue(2, 1);
        List<String> handled = new CopyOnWriteArrayList<>();
        Map<String, Integer> attemptsOfPoison = new ConcurrentHashMap<>();
        RequestHandler<SQSEvent, SQSBatchResponse> handler = failing(record -> {
            if (record.getBody().equals("poison")) {
                attemptsOfPoison.merge("poison", 1, Integer::sum);
                return true;
            }
            handled.add(record.getBody());
            return false;
        });
        send(queue.url(), "a", "b", "poison", "c");

        try (EventSourceMapping mapping = EventSourceMapping.builder(sqs.client(), queue.url(), handler).start()) {

            await().atMost(PATIENCE).until(() -> sqs.visibleMessages(queue.deadLetterUrl()) == 1);

            assertThat(handled).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(attemptsOfPoison.get("poison")).as("deliveries before redrive").isEqualTo(2);
            assertThat(mapping.stats().deletedMessages()).isEqualTo(3);
            assertThat(mapping.stats().reportedFailures()).isEqualTo(2);
        }
    }

    @Test
    void poisonMessageEndsUpInTheDeadLetterQueueWithItsBody() {
        SqsEmulator.QueuePair queue = newQueue(2, 1);
        send(queue.url(), "good", "poison");

        try (EventSourceMapping mapping = EventSourceMapping.builder(sqs.client(), queue.url(),
                failing(record -> record.getBody().equals("poison"))).start()) {

            List<Message> dead = new ArrayList<>();
            await().atMost(PATIENCE).until(() -> {
                dead.addAll(receiveAll(queue.deadLetterUrl()));
                return !dead.isEmpty();
            });

            assertThat(dead).extracting(Message::body).containsExactly("poison");
            await().atMost(PATIENCE).until(() -> sqs.visibleMessages(queue.url()) == 0
                    && mapping.stats().deletedMessages() == 1);
        }
    }

    @Test
    void gathersFullBatchesUpToTheBatchSizeWithinTheWindow() {
        SqsEmulator.QueuePair queue = newQueue(5, 30);
        send(queue.url(), numbered(25));
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            batchSizes.add(event.getRecords().size());
            return new SQSBatchResponse(List.of());
        };

        try (EventSourceMapping mapping = EventSourceMapping.builder(sqs.client(), queue.url(), handler)
                .batchSize(10).batchingWindow(Duration.ofSeconds(1)).start()) {

            await().atMost(PATIENCE).until(() -> mapping.stats().deletedMessages() == 25);
        }

        assertThat(batchSizes).containsExactly(10, 10, 5);
    }

    @Test
    void batchLargerThanOneReceiveIsGatheredFromSeveralReceives() {
        SqsEmulator.QueuePair queue = newQueue(5, 30);
        send(queue.url(), numbered(30));
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            batchSizes.add(event.getRecords().size());
            return null;
        };

        try (EventSourceMapping mapping = EventSourceMapping.builder(sqs.client(), queue.url(), handler)
                .batchSize(25).batchingWindow(Duration.ofSeconds(2)).start()) {

            await().atMost(PATIENCE).until(() -> mapping.stats().deletedMessages() == 30);
        }

        assertThat(batchSizes).containsExactly(25, 5);
    }

    @Test
    void eventCarriesMessageAttributesAndSystemAttributesAsLambdaDeliversThem() {
        SqsEmulator.QueuePair queue = newQueue(5, 30);
        sqs.client().sendMessage(b -> b.queueUrl(queue.url()).messageBody("H4sI")
                .messageAttributes(Map.of("content_encoding", MessageAttributeValue.builder()
                        .dataType("String").stringValue("gzip+base64").build())));
        List<SQSEvent.SQSMessage> seen = new CopyOnWriteArrayList<>();
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            seen.addAll(event.getRecords());
            return new SQSBatchResponse(List.of());
        };

        try (EventSourceMapping mapping = EventSourceMapping.builder(sqs.client(), queue.url(), handler).start()) {
            await().atMost(PATIENCE).until(() -> !seen.isEmpty());

            SQSEvent.SQSMessage record = seen.get(0);
            assertThat(record.getBody()).isEqualTo("H4sI");
            assertThat(record.getMessageAttributes().get("content_encoding").getStringValue()).isEqualTo("gzip+base64");
            assertThat(record.getMessageAttributes().get("content_encoding").getDataType()).isEqualTo("String");
            assertThat(record.getAttributes()).containsEntry("ApproximateReceiveCount", "1")
                    .containsKey("SentTimestamp");
            assertThat(record.getEventSource()).isEqualTo("aws:sqs");
            assertThat(record.getEventSourceArn()).isEqualTo(mapping.queueArn()).endsWith(":" + queueName(queue));
            assertThat(record.getAwsRegion()).isEqualTo("us-east-1");
            assertThat(record.getMessageId()).isNotBlank();
            assertThat(record.getReceiptHandle()).isNotBlank();
            assertThat(record.getMd5OfBody()).isNotBlank();
        }
    }

    @Test
    void handlerExceptionReturnsTheWholeBatchToTheQueue() {
        SqsEmulator.QueuePair queue = newQueue(5, 1);
        send(queue.url(), "x", "y");
        List<String> receiveCounts = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            event.getRecords().forEach(r -> receiveCounts.add(r.getBody() + r.getAttributes()
                    .get("ApproximateReceiveCount")));
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("the writer crashed");
            }
            return new SQSBatchResponse(List.of());
        };

        try (EventSourceMapping mapping = EventSourceMapping.builder(sqs.client(), queue.url(), handler)
                .batchSize(2).batchingWindow(Duration.ofSeconds(5)).start()) {

            await().atMost(PATIENCE).until(() -> mapping.stats().deletedMessages() == 2);

            assertThat(receiveCounts).containsExactlyInAnyOrder("x1", "y1", "x2", "y2");
            assertThat(mapping.stats().failedInvocations()).isEqualTo(1);
        }
    }

    @Test
    void failureNamingAMessageOutsideTheBatchFailsTheWholeBatch() {
        SqsEmulator.QueuePair queue = newQueue(5, 1);
        send(queue.url(), "only");
        AtomicInteger calls = new AtomicInteger();
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> calls.incrementAndGet() == 1
                ? new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("not-in-this-batch")))
                : new SQSBatchResponse(List.of());

        try (EventSourceMapping mapping = EventSourceMapping.builder(sqs.client(), queue.url(), handler).start()) {

            await().atMost(PATIENCE).until(() -> mapping.stats().deletedMessages() == 1);

            assertThat(calls).hasValue(2);
            assertThat(mapping.stats().failedInvocations()).isEqualTo(1);
        }
    }

    @Test
    void invocationPastTheFunctionTimeoutCountsAsFailed() {
        SqsEmulator.QueuePair queue = newQueue(5, 1);
        send(queue.url(), "slow");
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            if (calls.incrementAndGet() == 1) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new SQSBatchResponse(List.of());
        };

        try (EventSourceMapping mapping = EventSourceMapping.builder(sqs.client(), queue.url(), handler)
                .functionTimeout(Duration.ofSeconds(1)).start()) {

            await().atMost(PATIENCE).until(() -> mapping.stats().deletedMessages() == 1);

            assertThat(calls).hasValue(2);
            assertThat(mapping.stats().failedInvocations()).isEqualTo(1);
        }
    }

    private static RequestHandler<SQSEvent, SQSBatchResponse> failing(Function<SQSEvent.SQSMessage, Boolean> fails) {
        return (event, context) -> {
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            for (SQSEvent.SQSMessage record : event.getRecords()) {
                if (fails.apply(record)) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(record.getMessageId()));
                }
            }
            return new SQSBatchResponse(failures);
        };
    }

    private static SqsEmulator.QueuePair newQueue(int maxReceiveCount, int visibilitySeconds) {
        return sqs.createQueueWithDeadLetter("esm_" + QUEUE_NUMBER.incrementAndGet(), maxReceiveCount,
                visibilitySeconds);
    }

    private static String queueName(SqsEmulator.QueuePair queue) {
        return queue.url().substring(queue.url().lastIndexOf('/') + 1);
    }

    private static void send(String queueUrl, String... bodies) {
        for (String body : bodies) {
            sqs.client().sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
        }
    }

    private static String[] numbered(int count) {
        String[] bodies = new String[count];
        for (int i = 0; i < count; i++) {
            bodies[i] = "message " + i;
        }
        return bodies;
    }

    private static List<Message> receiveAll(String queueUrl) {
        return sqs.client().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages();
    }
}
