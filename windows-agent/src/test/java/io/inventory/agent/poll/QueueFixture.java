package io.inventory.agent.poll;

import io.inventory.codec.InvalidMessageException;
import io.inventory.proto.InventoryResult;
import io.inventory.proto.InventoryTask;
import io.inventory.queue.EncodedMessage;
import io.inventory.queue.MessageTooLargeException;
import io.inventory.queue.QueueMessageCodec;
import io.inventory.testing.SqsEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** A task queue with a dead-letter queue and a result queue on the emulator, and the test's view of them. */
final class QueueFixture {

    private static final AtomicInteger NEXT = new AtomicInteger();

    final SqsEmulator sqs;
    final String name;
    final SqsEmulator.QueuePair tasks;
    final String results;

    QueueFixture(SqsEmulator sqs, int visibilitySeconds, int maxReceiveCount) {
        this.sqs = sqs;
        this.name = "t" + NEXT.incrementAndGet();
        this.tasks = sqs.createQueueWithDeadLetter(name + "_tasks", maxReceiveCount, visibilitySeconds);
        this.results = sqs.createQueue(name + "_results", 30);
    }

    /** The same queues, created again (same names, same URLs) on another emulator, such as one restarted. */
    QueueFixture(SqsEmulator sqs, QueueFixture original) {
        this.sqs = sqs;
        this.name = original.name;
        this.tasks = sqs.createQueueWithDeadLetter(name + "_tasks", 3, 30);
        this.results = sqs.createQueue(name + "_results", 30);
        if (!tasks.url().equals(original.tasks.url()) || !results.equals(original.results)) {
            throw new IllegalStateException("recreated queues have new URLs: " + tasks.url() + ", " + results);
        }
    }

    static PollSettings settings(QueueFixture queues, int workers, int maxMessageBytes, Duration stopTimeout,
                                 int unhealthyAfter) {
        return new PollSettings(queues.tasks.url(), queues.results, workers, maxMessageBytes, 1, stopTimeout,
                unhealthyAfter, "FALLBACK-HOST", Duration.ofMillis(50), Duration.ofMillis(400));
    }

    /** Sends a well-formed task for the given run and line; returns its task id. */
    String sendTask(String runId, int line, String... sections) {
        String taskId = runId + "-L" + line;
        InventoryTask task = InventoryTask.newBuilder().setTaskId(taskId).setRunId(runId).setLine(line)
                .addAllSections(List.of(sections)).setSource("test").build();
        try {
            EncodedMessage encoded = new QueueMessageCodec().encodePlain(task, Map.of("run_id", runId,
                    "task_id", taskId));
            sendRaw(encoded.body(), encoded.attributes());
        } catch (MessageTooLargeException e) {
            throw new IllegalStateException(e);
        }
        return taskId;
    }

    void sendRaw(String body, Map<String, String> attributes) {
        Map<String, MessageAttributeValue> values = new HashMap<>();
        attributes.forEach((key, value) ->
                values.put(key, MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
        sqs.client().sendMessage(b -> b.queueUrl(tasks.url()).messageBody(body).messageAttributes(values));
    }

    /** Results received so far, decoded; each call takes what has arrived since the last one. */
    List<ReceivedResult> takeResults() {
        List<ReceivedResult> all = new ArrayList<>();
        List<Message> messages = sqs.client().receiveMessage(b -> b.queueUrl(results).maxNumberOfMessages(10)
                .waitTimeSeconds(1).messageAttributeNames("All")).messages();
        for (Message message : messages) {
            MessageAttributeValue encoding = message.messageAttributes().get(QueueMessageCodec.CONTENT_ENCODING);
            try {
                InventoryResult result = QueueMessageCodec.decode(message.body(),
                        encoding == null ? null : encoding.stringValue(), InventoryResult.newBuilder());
                Map<String, String> attributes = new HashMap<>();
                message.messageAttributes().forEach((key, value) -> attributes.put(key, value.stringValue()));
                all.add(new ReceivedResult(result, attributes));
            } catch (InvalidMessageException e) {
                throw new AssertionError("undecodable result: " + e.getMessage(), e);
            }
            sqs.client().deleteMessage(b -> b.queueUrl(results).receiptHandle(message.receiptHandle()));
        }
        return all;
    }

    /** Visible plus in-flight messages, as SQS approximates them. */
    int tasksOnQueue() {
        Map<QueueAttributeName, String> attributes = sqs.client().getQueueAttributes(b -> b.queueUrl(tasks.url())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    int visibleTasks() {
        return sqs.visibleMessages(tasks.url());
    }

    int deadLetters() {
        return sqs.visibleMessages(tasks.deadLetterUrl());
    }

    static SqsClient client(SqsEmulator sqs) {
        return sqs.newClient();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A result as the writer would see it: the decoded message and its string attributes. */
    record ReceivedResult(InventoryResult result, Map<String, String> attributes) {
    }
}
