package io.inventory.proxy;

import static org.awaitility.Awaitility.await;

import io.inventory.codec.InvalidMessageException;
import io.inventory.proto.InventoryTask;
import io.inventory.queue.QueueMessageCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Drains a task queue in a test and returns the task ids found, after checking nothing else is waiting. */
final class QueueContents {

    private QueueContents() {
    }

    static List<String> taskIds(SqsClient sqs, String queueUrl, int expected) {
        List<Message> received = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            received.addAll(receive(sqs, queueUrl));
            return received.size() >= expected;
        });
        received.addAll(receive(sqs, queueUrl));

        List<String> ids = new ArrayList<>();
        for (Message message : received) {
            try {
                InventoryTask task = QueueMessageCodec.decode(message.body(), null, InventoryTask.newBuilder());
                ids.add(task.getTaskId());
            } catch (InvalidMessageException e) {
                throw new AssertionError("a queued body is not an InventoryTask: " + message.body(), e);
            }
            sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        }
        return ids;
    }

    private static List<Message> receive(SqsClient sqs, String queueUrl) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                .visibilityTimeout(600)).messages();
    }
}
