package io.inventory.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Drives an SQS-triggered Lambda handler the way the Lambda SQS event source mapping does, so the writer runs
 * locally exactly as it is triggered in AWS: long-polling pollers gather batches (batch size, batching window,
 * the 6 MB invocation payload), invoke the handler with an {@link SQSEvent} that carries the message attributes
 * and the system attributes such as {@code ApproximateReceiveCount}, delete every message the handler does not
 * report in {@code batchItemFailures}, and leave the failures on the queue to reappear after its visibility
 * timeout and, past the redrive policy's maxReceiveCount, to move to its dead-letter queue.
 *
 * <pre>{@code
 * try (EventSourceMapping mapping = EventSourceMapping.builder(sqs, resultQueueUrl, writerHandler)
 *         .batchSize(10).batchingWindow(Duration.ofSeconds(1)).start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>The handler instance is shared by the pollers, so with more than one poller it must be thread-safe; in AWS
 * each concurrent invocation would have its own instance.
 */
public final class EventSourceMapping implements AutoCloseable {

    /** Lambda's limit on a synchronous invocation payload, which also bounds an SQS batch. */
    static final long MAX_PAYLOAD_BYTES = 6L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(EventSourceMapping.class);

    private static final int SQS_MAX_RECEIVE = 10;
    private static final int SQS_MAX_WAIT_SECONDS = 20;
    private static final Duration RECEIVE_ERROR_BACKOFF = Duration.ofSeconds(1);

    private final SqsClient sqs;
    private final String queueUrl;
    private final RequestHandler<SQSEvent, SQSBatchResponse> handler;
    private final Settings settings;
    private final String queueArn;
    private final String region;

    private final ExecutorService pollers;
    private final ExecutorService invoker;
    private volatile boolean running;

    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong failedInvocations = new AtomicLong();
    private final AtomicLong receivedMessages = new AtomicLong();
    private final AtomicLong deletedMessages = new AtomicLong();
    private final AtomicLong reportedFailures = new AtomicLong();

    private EventSourceMapping(Builder builder) {
        this.sqs = builder.sqs;
        this.queueUrl = builder.queueUrl;
        this.handler = builder.handler;
        this.settings = new Settings(builder.batchSize, builder.batchingWindow, builder.pollers,
                builder.receiveWait, builder.functionTimeout, builder.functionName, builder.reportBatchItemFailures);
        this.queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        this.region = regionOf(queueArn);

        AtomicInteger pollerNumber = new AtomicInteger();
        this.pollers = Executors.newFixedThreadPool(builder.pollers, runnable -> {
            Thread thread = new Thread(runnable, "esm-" + builder.functionName + "-poller-"
                    + pollerNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        AtomicInteger invokerNumber = new AtomicInteger();
        this.invoker = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "esm-" + builder.functionName + "-invoke-"
                    + invokerNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A mapping from {@code queueUrl} to {@code handler}, with Lambda's defaults until changed on the builder. */
    public static Builder builder(SqsClient sqs, String queueUrl, RequestHandler<SQSEvent, SQSBatchResponse> handler) {
        return new Builder(sqs, queueUrl, handler);
    }

    public String queueUrl() {
        return queueUrl;
    }

    public String queueArn() {
        return queueArn;
    }

    /** Counters since start, for tests, benchmarks and the local pipeline's status line. */
    public Stats stats() {
        return new Stats(invocations.get(), failedInvocations.get(), receivedMessages.get(), deletedMessages.get(),
                reportedFailures.get());
    }

    public boolean isRunning() {
        return running;
    }

    private EventSourceMapping startPolling() {
        running = true;
        for (int i = 0; i < settings.pollers; i++) {
            pollers.execute(this::pollUntilStopped);
        }
        LOG.info("Event source mapping started: queue={} function={} batchSize={} batchingWindow={} pollers={}",
                queueUrl, settings.functionName, settings.batchSize, settings.batchingWindow, settings.pollers);
        return this;
    }

    /**
     * Stops polling and waits for the batches in flight to finish (at most one long poll plus one function
     * timeout). Messages received but not yet handled simply reappear after the visibility timeout.
     */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        pollers.shutdown();

        try {
            long waitMillis = settings.receiveWait.plus(settings.functionTimeout).plusSeconds(5).toMillis();
            if (!pollers.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
                LOG.warn("Event source mapping pollers still busy after {} ms, interrupting: queue={}",
                        waitMillis, queueUrl);
                pollers.shutdownNow();
            }
        } catch (InterruptedException e) {
            pollers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        invoker.shutdownNow();
        LOG.info("Event source mapping stopped: queue={} function={} {}", queueUrl, settings.functionName, stats());
    }

    private void pollUntilStopped() {
        while (running) {
            try {
                List<Message> batch = gatherBatch();
                if (!batch.isEmpty()) {
                    invokeAndSettle(batch);
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("Event source mapping cannot poll queue={}, retrying in {}: {}",
                        queueUrl, RECEIVE_ERROR_BACKOFF, e.toString());
                pause(RECEIVE_ERROR_BACKOFF);
            }
        }
    }

    /**
     * Receives until the batch is full, the batching window has passed since the first message, or the batch
     * reaches Lambda's payload limit. With no window the first non-empty receive is the batch, as in Lambda.
     */
    private List<Message> gatherBatch() {
        List<Message> batch = new ArrayList<>();
        long payloadBytes = 0;
        long windowEnds = 0;

        while (running && batch.size() < settings.batchSize && payloadBytes < MAX_PAYLOAD_BYTES) {
            int waitSeconds;
            if (batch.isEmpty()) {
                waitSeconds = (int) settings.receiveWait.toSeconds();
            } else {
                long remainingMillis = windowEnds - System.currentTimeMillis();
                if (remainingMillis <= 0) {
                    break;
                }
                // SQS waits in whole seconds, so the window can overrun by less than a second.
                waitSeconds = (int) Math.min(SQS_MAX_WAIT_SECONDS, (remainingMillis + 999) / 1000);
            }

            int wanted = Math.min(SQS_MAX_RECEIVE, settings.batchSize - batch.size());
            final int wait = waitSeconds;
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                    .maxNumberOfMessages(wanted)
                    .waitTimeSeconds(wait)
                    .messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (received.isEmpty()) {
                continue;
            }

            if (batch.isEmpty()) {
                windowEnds = System.currentTimeMillis() + settings.batchingWindow.toMillis();
            }
            receivedMessages.addAndGet(received.size());
            for (Message message : received) {
                // A window longer than the visibility timeout can see a message twice; only the newest receipt
                // handle can delete it.
                batch.removeIf(held -> held.messageId().equals(message.messageId()));
                batch.add(message);
                payloadBytes += message.body().getBytes(StandardCharsets.UTF_8).length;
            }
            if (settings.batchingWindow.isZero()) {
                break;
            }
        }
        return batch;
    }

    private void invokeAndSettle(List<Message> batch) {
        SQSEvent event = toEvent(batch);
        String requestId = UUID.randomUUID().toString();
        invocations.incrementAndGet();
        LOG.debug("Invoking function={} request={} with {} messages", settings.functionName, requestId, batch.size());

        SQSBatchResponse response;
        try {
            response = invoke(event, requestId);
        } catch (InvocationFailedException e) {
            // As in Lambda, a failed invocation fails the whole batch: nothing is deleted, and every message
            // becomes visible again after the visibility timeout.
            failedInvocations.incrementAndGet();
            LOG.warn("Function failed, whole batch returns to the queue: function={} request={} messages={} "
                    + "cause={}", settings.functionName, requestId, messageIds(batch), e.getMessage());
            return;
        }

        Set<String> failed = failedIds(batch, response, requestId);
        if (failed == null) {
            failedInvocations.incrementAndGet();
            return;
        }
        reportedFailures.addAndGet(failed.size());
        if (!failed.isEmpty()) {
            LOG.info("Function reported {} of {} messages as failed; they return after the visibility timeout: "
                    + "function={} request={} failed={}", failed.size(), batch.size(), settings.functionName,
                    requestId, failed);
        }

        List<Message> done = batch.stream().filter(message -> !failed.contains(message.messageId())).toList();
        delete(done);
    }

    private SQSBatchResponse invoke(SQSEvent event, String requestId) throws InvocationFailedException {
        LocalLambdaContext context = new LocalLambdaContext(settings.functionName, requestId,
                settings.functionTimeout, region);
        Future<SQSBatchResponse> result = invoker.submit(() -> handler.handleRequest(event, context));
        try {
            return result.get(settings.functionTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new InvocationFailedException("timed out after " + settings.functionTimeout, e);
        } catch (ExecutionException e) {
            throw new InvocationFailedException(String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new InvocationFailedException("interrupted while the function ran", e);
        }
    }

    /**
     * The ids to keep on the queue, or null when the response is invalid. Lambda treats a response that names
     * a message outside the batch, or an empty identifier, as a failure of the whole batch.
     */
    private Set<String> failedIds(List<Message> batch, SQSBatchResponse response, String requestId) {
        if (!settings.reportBatchItemFailures || response == null || response.getBatchItemFailures() == null) {
            return Set.of();
        }
        Set<String> inBatch = new HashSet<>(messageIds(batch));
        Set<String> failed = new HashSet<>();
        for (SQSBatchResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
            String id = failure == null ? null : failure.getItemIdentifier();
            if (id == null || id.isBlank() || !inBatch.contains(id)) {
                LOG.warn("Function returned an invalid batchItemFailures entry '{}', whole batch returns to the "
                        + "queue: function={} request={}", id, settings.functionName, requestId);
                return null;
            }
            failed.add(id);
        }
        return failed;
    }

    private void delete(List<Message> messages) {
        for (int start = 0; start < messages.size(); start += SQS_MAX_RECEIVE) {
            List<Message> chunk = messages.subList(start, Math.min(messages.size(), start + SQS_MAX_RECEIVE));
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i)).receiptHandle(chunk.get(i).receiptHandle()).build());
            }

            DeleteMessageBatchResponse response;
            try {
                response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            } catch (RuntimeException e) {
                // The messages were handled; if they come back the handler sees them again, which SQS's
                // at-least-once delivery obliges it to tolerate anyway.
                LOG.warn("Cannot delete {} handled messages, they will be delivered again: queue={} cause={}",
                        chunk.size(), queueUrl, e.toString());
                continue;
            }
            deletedMessages.addAndGet(response.successful().size());
            response.failed().forEach(failure -> LOG.warn("Cannot delete handled message {}, it will be "
                    + "delivered again: queue={} code={} reason={}", chunk.get(Integer.parseInt(failure.id()))
                    .messageId(), queueUrl, failure.code(), failure.message()));
        }
    }

    private SQSEvent toEvent(List<Message> batch) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>(batch.size());
        for (Message message : batch) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId(message.messageId());
            record.setReceiptHandle(message.receiptHandle());
            record.setBody(message.body());
            record.setMd5OfBody(message.md5OfBody());
            record.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
            record.setAttributes(new HashMap<>(message.attributesAsStrings()));
            record.setMessageAttributes(toEventAttributes(message.messageAttributes()));
            record.setEventSource("aws:sqs");
            record.setEventSourceArn(queueArn);
            record.setAwsRegion(region);
            records.add(record);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private static Map<String, SQSEvent.MessageAttribute> toEventAttributes(
            Map<String, MessageAttributeValue> attributes) {
        Map<String, SQSEvent.MessageAttribute> converted = new HashMap<>();
        attributes.forEach((name, value) -> {
            SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
            attribute.setDataType(value.dataType());
            attribute.setStringValue(value.stringValue());
            attribute.setBinaryValue(value.binaryValue() == null ? null : value.binaryValue().asByteBuffer());
            // The event Lambda delivers always carries these two lists, empty: SQS has no list attributes.
            attribute.setStringListValues(new ArrayList<>());
            attribute.setBinaryListValues(new ArrayList<>());
            converted.put(name, attribute);
        });
        return converted;
    }

    private static List<String> messageIds(List<Message> batch) {
        return batch.stream().map(Message::messageId).toList();
    }

    private static String regionOf(String arn) {
        String[] parts = arn == null ? new String[0] : arn.split(":");
        return parts.length > 3 && !parts[3].isEmpty() ? parts[3] : "us-east-1";
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private record Settings(int batchSize, Duration batchingWindow, int pollers, Duration receiveWait,
                            Duration functionTimeout, String functionName, boolean reportBatchItemFailures) {
    }

    /** Counters of a mapping since it started. */
    public record Stats(long invocations, long failedInvocations, long receivedMessages, long deletedMessages,
                        long reportedFailures) {
    }

    /** Settings of a mapping; the defaults are Lambda's for a standard queue, except where noted. */
    public static final class Builder {

        private final SqsClient sqs;
        private final String queueUrl;
        private final RequestHandler<SQSEvent, SQSBatchResponse> handler;
        private int batchSize = 10;
        private Duration batchingWindow = Duration.ZERO;
        private int pollers = 1;
        private Duration receiveWait = Duration.ofSeconds(2);
        private Duration functionTimeout = Duration.ofSeconds(60);
        private String functionName = "writer";
        private boolean reportBatchItemFailures = true;

        private Builder(SqsClient sqs, String queueUrl, RequestHandler<SQSEvent, SQSBatchResponse> handler) {
            this.sqs = Objects.requireNonNull(sqs, "sqs");
            this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /** Most messages per invocation, 1 to 10,000 (BatchSize); default 10. */
        public Builder batchSize(int size) {
            if (size < 1 || size > 10_000) {
                throw new IllegalArgumentException("batch size must be between 1 and 10000, got " + size);
            }
            this.batchSize = size;
            return this;
        }

        /** How long to gather a batch after its first message, up to 300 s (MaximumBatchingWindowInSeconds). */
        public Builder batchingWindow(Duration window) {
            if (window.isNegative() || window.compareTo(Duration.ofSeconds(300)) > 0) {
                throw new IllegalArgumentException("batching window must be between 0 and 300 s, got " + window);
            }
            this.batchingWindow = window;
            return this;
        }

        /** Concurrent pollers, each invoking the handler with its own batches; default 1. */
        public Builder pollers(int count) {
            if (count < 1 || count > 64) {
                throw new IllegalArgumentException("pollers must be between 1 and 64, got " + count);
            }
            this.pollers = count;
            return this;
        }

        /**
         * Long-poll wait of an empty queue, 1 to 20 s. Lambda waits 20 s; the default here is 2 s so that
         * {@link EventSourceMapping#close()} returns promptly.
         */
        public Builder receiveWait(Duration wait) {
            if (wait.toSeconds() < 1 || wait.toSeconds() > SQS_MAX_WAIT_SECONDS) {
                throw new IllegalArgumentException("receive wait must be between 1 and 20 s, got " + wait);
            }
            this.receiveWait = wait;
            return this;
        }

        /** After this the invocation counts as failed, as a Lambda timeout does; default 60 s. */
        public Builder functionTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("function timeout must be positive, got " + timeout);
            }
            this.functionTimeout = timeout;
            return this;
        }

        /** The function name in logs and in the handler's context; default {@code writer}. */
        public Builder functionName(String name) {
            this.functionName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Whether the handler's {@code batchItemFailures} are honoured (FunctionResponseTypes
         * ReportBatchItemFailures); default true, as in the template. When false, a returning handler means
         * every message is deleted.
         */
        public Builder reportBatchItemFailures(boolean enabled) {
            this.reportBatchItemFailures = enabled;
            return this;
        }

        /** Starts the pollers; {@link EventSourceMapping#close()} stops them. */
        public EventSourceMapping start() {
            return new EventSourceMapping(this).startPolling();
        }
    }

    private static final class InvocationFailedException extends Exception {

        private static final long serialVersionUID = 1L;

        InvocationFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
