package io.inventory.gateway;

import static org.awaitility.Awaitility.await;

import io.inventory.codec.InvalidMessageException;
import io.inventory.proto.InventoryTask;
import io.inventory.queue.QueueMessageCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** What a test finds on a task queue: every message drained, its body decoded and its attributes kept. */
record QueuedTasks(List<Received> messages) {

    record Received(InventoryTask task, Map<String, String> attributes) {
    }

    /** Receives until {@code expected} messages arrived, then confirms that no further message is waiting. */
    static QueuedTasks drain(SqsClient sqs, String queueUrl, int expected) {
        List<Message> received = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            received.addAll(receive(sqs, queueUrl, 1));
            return received.size() >= expected;
        });
        received.addAll(receive(sqs, queueUrl, 1));

        List<Received> decoded = new ArrayList<>();
        for (Message message : received) {
            decoded.add(new Received(decode(message), attributes(message)));
        }
        return new QueuedTasks(decoded);
    }

    List<String> taskIds() {
        return messages.stream().map(m -> m.task().getTaskId()).sorted().toList();
    }

    private static List<Message> receive(SqsClient sqs, String queueUrl, int waitSeconds) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(waitSeconds)
                .visibilityTimeout(600).messageAttributeNames("All")).messages();
    }

    private static InventoryTask decode(Message message) {
        try {
            return QueueMessageCodec.decode(message.body(), null, InventoryTask.newBuilder());
        } catch (InvalidMessageException e) {
            throw new AssertionError("a queued body is not an InventoryTask: " + message.body(), e);
        }
    }

    private static Map<String, String> attributes(Message message) {
        Map<String, String> attributes = new HashMap<>();
        for (Map.Entry<String, MessageAttributeValue> entry : message.messageAttributes().entrySet()) {
            attributes.put(entry.getKey(), entry.getValue().stringValue());
        }
        return attributes;
    }
}
