package io.inventory.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchRequestTooLongException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

class SqsEmulatorTest {

    private static final int LIMIT = 256 * 1024;

    private static SqsEmulator sqs;

    @BeforeAll
    static void start() {
        sqs = SqsEmulator.start();
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    @Test
    void messageAtTheLimitIsAcceptedAndOneByteMoreIsRejectedAsSqsWould() {
        String url = sqs.createQueue("size_single", 30);

        sqs.client().sendMessage(b -> b.queueUrl(url).messageBody("x".repeat(LIMIT)));

        assertThatThrownBy(() -> sqs.client().sendMessage(b -> b.queueUrl(url).messageBody("x".repeat(LIMIT + 1))))
                .isInstanceOfSatisfying(SqsException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
        assertThat(sqs.visibleMessages(url)).isEqualTo(1);
    }

    @Test
    void attributesCountTowardsTheLimit() {
        String url = sqs.createQueue("size_attributes", 30);

        assertThatThrownBy(() -> sqs.client().sendMessage(b -> b.queueUrl(url).messageBody("x".repeat(LIMIT - 10))
                .messageAttributes(java.util.Map.of("task_id", software.amazon.awssdk.services.sqs.model
                        .MessageAttributeValue.builder().dataType("String").stringValue("run-1-L1").build()))))
                .isInstanceOf(SqsException.class);
    }

    @Test
    void batchWhoseEntriesAddUpPastTheLimitIsRejectedWhole() {
        String url = sqs.createQueue("size_batch", 30);
        List<SendMessageBatchRequestEntry> entries = IntStream.range(0, 5)
                .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("y".repeat(60_000))
                        .build())
                .toList();

        assertThatThrownBy(() -> sqs.client().sendMessageBatch(b -> b.queueUrl(url).entries(entries)))
                .isInstanceOf(BatchRequestTooLongException.class);
        assertThat(sqs.visibleMessages(url)).isZero();
    }

    @Test
    void clientsBuiltByTheCodeUnderTestSeeTheLimitToo() {
        String url = sqs.createQueue("size_other_client", 30);

        try (SqsClient own = sqs.newClient()) {
            assertThatThrownBy(() -> own.sendMessage(b -> b.queueUrl(url).messageBody("z".repeat(LIMIT + 1))))
                    .isInstanceOf(SqsException.class);
        }
    }

    @Test
    void messageReceivedTooOftenMovesToTheDeadLetterQueue() {
        SqsEmulator.QueuePair queues = sqs.createQueueWithDeadLetter("redrive", 2, 1);
        sqs.client().sendMessage(b -> b.queueUrl(queues.url()).messageBody("poison"));

        for (int receive = 0; receive < 2; receive++) {
            List<Message> got = sqs.client().receiveMessage(b -> b.queueUrl(queues.url()).waitTimeSeconds(5)
                    .visibilityTimeout(0)).messages();
            assertThat(got).hasSize(1);
        }
        List<Message> afterRedrive = sqs.client().receiveMessage(b -> b.queueUrl(queues.url())
                .waitTimeSeconds(1)).messages();

        assertThat(afterRedrive).isEmpty();
        assertThat(sqs.client().receiveMessage(b -> b.queueUrl(queues.deadLetterUrl()).waitTimeSeconds(5))
                .messages()).extracting(Message::body).containsExactly("poison");
    }
}
