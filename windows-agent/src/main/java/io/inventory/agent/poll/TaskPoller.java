package io.inventory.agent.poll;

import io.inventory.agent.collect.FailedCollections;
import io.inventory.agent.collect.TaskCollector;
import io.inventory.agent.collect.TaskRequest;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import io.inventory.queue.EncodedMessage;
import io.inventory.queue.MessageTooLargeException;
import io.inventory.queue.QueueMessageCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Poll mode: long-polls the task queue, collects each task on a bounded worker pool, sends the result to the result
 * queue and only then deletes the task. While a collection runs, a heartbeat keeps extending the task's visibility so
 * no other agent takes it; if this process dies, the task reappears after its visibility timeout.
 *
 * <p>Every task ends one of four ways: its result is sent and it is deleted; it is malformed and left for the
 * dead-letter queue; the agent is stopping and it is made visible again at once; or the agent died and its
 * visibility lapses. A queue that fails is retried with backoff and jitter, forever, while {@link QueueHealth}
 * hears about it.
 */
public final class TaskPoller {

    private static final Logger LOG = LoggerFactory.getLogger(TaskPoller.class);

    /** SQS caps a receive at ten messages. */
    private static final int MAX_RECEIVE = 10;

    /** Used when the queue's own timeout cannot be read or is zero. */
    private static final int FALLBACK_VISIBILITY_SECONDS = 30;

    private static final int SEND_ATTEMPTS = 5;

    private final SqsClient sqs;
    private final PollSettings settings;
    private final TaskCollector collector;
    private final QueueHealth health;
    private final Clock clock;
    private final String agentVersion;
    private final QueueMessageCodec codec;

    private final Semaphore freeWorkers;
    private final ExecutorService workers;
    private final ScheduledExecutorService heartbeats;
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopClaimed = new AtomicBoolean();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile int visibilitySeconds = FALLBACK_VISIBILITY_SECONDS;
    private volatile Thread receiver;

    public TaskPoller(SqsClient sqs, PollSettings settings, TaskCollector collector, QueueHealth health, Clock clock,
                      String agentVersion) {
        this.sqs = sqs;
        this.settings = settings;
        this.collector = collector;
        this.health = health;
        this.clock = clock;
        this.agentVersion = agentVersion;
        this.codec = new QueueMessageCodec(settings.maxMessageBytes(), QueueMessageCodec.DEFAULT_COMPRESS_ABOVE_BYTES);
        this.freeWorkers = new Semaphore(settings.workers());
        AtomicInteger workerNumber = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(settings.workers(),
                runnable -> new Thread(runnable, "collector-" + workerNumber.incrementAndGet()));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts polling on a thread of its own. */
    public synchronized void start() {
        if (receiver != null) {
            throw new IllegalStateException("already started");
        }
        receiver = new Thread(this::receiveLoop, "task-receiver");
        receiver.start();
    }

    /**
     * Stops receiving, gives collections in progress up to the stop timeout to finish (their results are sent and
     * their tasks deleted), then makes the tasks still unfinished visible again at once. Returns when done.
     */
    public void stop() throws InterruptedException {
        if (!stopClaimed.compareAndSet(false, true)) {
            stopped.await();
            return;
        }
        stopRequested.countDown();
        health.stopping();
        LOG.info("Stopping: no new tasks; waiting up to {} for {} collection(s) in progress",
                settings.stopTimeout(), inFlight.size());

        workers.shutdown();
        boolean finished = workers.awaitTermination(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            releaseUnfinished();
            workers.shutdownNow();
            workers.awaitTermination(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }

        // The receiver may sit in a long poll; messages it gets now are released at once (see receiveLoop).
        Thread thread = receiver;
        if (thread != null) {
            thread.join(Duration.ofSeconds(settings.waitSeconds() + 10L).toMillis());
        }
        heartbeats.shutdownNow();
        stopped.countDown();
        LOG.info("Stopped");
    }

    /** Waits until {@link #stop()} has completed. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** How many tasks are being collected or sent right now. */
    public int inFlightCount() {
        return inFlight.size();
    }

    private boolean stopping() {
        return stopRequested.getCount() == 0;
    }

    private void receiveLoop() {
        Backoff backoff = new Backoff(settings.backoffBase(), settings.backoffMax());
        readVisibilityTimeout(backoff);
        LOG.info("Polling {} with {} workers, visibility timeout {} s, results to {}", settings.taskQueueUrl(),
                settings.workers(), visibilitySeconds, settings.resultQueueUrl());

        while (!stopping()) {
            int permits = acquireWorkers();
            if (permits == 0) {
                continue;
            }
            List<Message> messages;
            try {
                messages = receive(permits);
                succeeded(backoff);
            } catch (SdkException e) {
                freeWorkers.release(permits);
                failed("receive from the task queue", e, backoff);
                continue;
            } catch (RuntimeException e) {
                // Not a queue failure as such, but the loop must survive it: a dead receiver polls nothing.
                freeWorkers.release(permits);
                LOG.error("Unexpected failure receiving tasks; retrying", e);
                failed("receive from the task queue", SdkClientException.create(e.toString(), e), backoff);
                continue;
            }

            for (Message message : messages) {
                if (stopping()) {
                    release(message, "received while stopping");
                    freeWorkers.release();
                } else {
                    dispatch(message);
                }
            }
            freeWorkers.release(permits - messages.size());
        }
    }

    private void dispatch(Message message) {
        InFlight task = new InFlight(message);
        inFlight.put(message.messageId(), task);
        try {
            workers.execute(() -> process(task));
        } catch (RejectedExecutionException e) {
            // stop() shut the pool down between the receive and here.
            inFlight.remove(message.messageId());
            release(message, "received while stopping");
            freeWorkers.release();
        }
    }

    /** Blocks for one free worker, then takes as many more as are free, up to the receive limit. */
    private int acquireWorkers() {
        try {
            if (!freeWorkers.tryAcquire(1, TimeUnit.SECONDS)) {
                return 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        int permits = 1;
        while (permits < MAX_RECEIVE && freeWorkers.tryAcquire()) {
            permits++;
        }
        return permits;
    }

    private List<Message> receive(int count) {
        ReceiveMessageResponse response = sqs.receiveMessage(request -> request
                .queueUrl(settings.taskQueueUrl())
                .maxNumberOfMessages(count)
                .waitTimeSeconds(settings.waitSeconds())
                .messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
        return response.messages();
    }

    private void readVisibilityTimeout(Backoff backoff) {
        while (!stopping()) {
            try {
                String value = sqs.getQueueAttributes(request -> request.queueUrl(settings.taskQueueUrl())
                        .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT, QueueAttributeName.REDRIVE_POLICY))
                        .attributes().get(QueueAttributeName.VISIBILITY_TIMEOUT);
                int seconds = value == null ? 0 : Integer.parseInt(value);
                visibilitySeconds = seconds > 0 ? seconds : FALLBACK_VISIBILITY_SECONDS;
                succeeded(backoff);
                return;
            } catch (SdkException e) {
                failed("read the task queue's attributes", e, backoff);
            }
        }
    }

    private void process(InFlight task) {
        Message message = task.message;
        try {
            TaskRequest request;
            try {
                request = TaskDecoder.decode(message);
            } catch (InvalidTaskException e) {
                // Not deleted: the message's visibility lapses and after maxReceiveCount receives SQS moves it to
                // the dead-letter queue, where an operator can read it. Setting visibility to 0 would get it there
                // sooner but spins hot on a queue without a redrive policy.
                LOG.warn("Malformed task message={} receives={} left for the dead-letter queue: {}",
                        message.messageId(), receiveCount(message), e.getMessage());
                task.state.set(State.ABANDONED);
                return;
            }

            MDC.put("run", request.runId());
            MDC.put("task", request.taskId());
            LOG.info("run={} task={} received (message={}, receives={}, sections={})", request.runId(),
                    request.taskId(), message.messageId(), receiveCount(message),
                    request.sections().isEmpty() ? "all" : request.sections());
            task.heartbeat = heartbeats.scheduleAtFixedRate(() -> extend(task, request),
                    heartbeatMillis(), heartbeatMillis(), TimeUnit.MILLISECONDS);

            InventoryResult result = collect(request);
            EncodedMessage encoded = encode(request, result);
            if (!task.state.compareAndSet(State.COLLECTING, State.SENDING)) {
                LOG.info("run={} task={} finished after its task was released; the result is dropped, another "
                        + "receive will redo it", request.runId(), request.taskId());
                return;
            }
            if (send(request, encoded)) {
                delete(request, message);
            } else {
                release(message, "its result could not be sent");
            }
        } finally {
            if (task.heartbeat != null) {
                task.heartbeat.cancel(false);
            }
            inFlight.remove(message.messageId());
            freeWorkers.release();
            MDC.clear();
        }
    }

    private InventoryResult collect(TaskRequest request) {
        try {
            InventoryDocument document = collector.collect(request);
            InventoryResult result = InventoryResults.of(request, document, settings.hostName(), agentVersion,
                    clock.instant());
            LOG.info("run={} task={} host={} collected: {}{}", request.runId(), request.taskId(), result.getHost(),
                    result.getStatus(), result.getErrorMessage().isEmpty() ? "" : " - " + result.getErrorMessage());
            return result;
        } catch (RuntimeException | LinkageError e) {
            LOG.error("run={} task={} collection failed", request.runId(), request.taskId(), e);
            return InventoryResults.error(request, settings.hostName(), FailedCollections.COLLECTION_FAILED,
                    FailedCollections.describe(e), agentVersion, clock.instant());
        }
    }

    /** The result's queue message; one too large even compressed becomes a RESULT_TOO_LARGE error instead. */
    private EncodedMessage encode(TaskRequest request, InventoryResult result) {
        Map<String, String> attributes = attributes(result);
        try {
            return codec.encode(result, attributes);
        } catch (MessageTooLargeException e) {
            String message = "the result with " + result.getInventory().getProgramsCount() + " programs is "
                    + e.encodedBytes() + " bytes encoded (" + e.jsonBytes() + " bytes of JSON); the result queue "
                    + "accepts at most " + e.limitBytes() + " bytes";
            LOG.error("run={} task={} host={} RESULT_TOO_LARGE: {}", request.runId(), request.taskId(),
                    result.getHost(), message);
            InventoryResult error = InventoryResults.error(request, result.getHost(), InventoryResults.RESULT_TOO_LARGE,
                    message, agentVersion, clock.instant());
            try {
                return codec.encode(error, attributes);
            } catch (MessageTooLargeException impossible) {
                throw new IllegalStateException("an error result cannot exceed a limit of at least 1 KiB",
                        impossible);
            }
        }
    }

    private static Map<String, String> attributes(InventoryResult result) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("run_id", result.getRunId());
        attributes.put("task_id", result.getTaskId());
        attributes.put("host", result.getHost());
        return attributes;
    }

    private boolean send(TaskRequest request, EncodedMessage encoded) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        encoded.attributes().forEach((name, value) ->
                attributes.put(name, MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
        Backoff backoff = new Backoff(settings.backoffBase(), settings.backoffMax());
        for (int attempt = 1; attempt <= SEND_ATTEMPTS; attempt++) {
            try {
                sqs.sendMessage(send -> send.queueUrl(settings.resultQueueUrl())
                        .messageBody(encoded.body())
                        .messageAttributes(attributes));
                succeeded(backoff);
                LOG.info("run={} task={} result sent ({} bytes{})", request.runId(), request.taskId(),
                        encoded.sizeBytes(), encoded.compressed() ? ", gzip+base64" : "");
                return true;
            } catch (SdkException e) {
                failed("send the result of task " + request.taskId(), e, backoff);
            }
        }
        return false;
    }

    private void delete(TaskRequest request, Message message) {
        Backoff backoff = new Backoff(settings.backoffBase(), settings.backoffMax());
        for (int attempt = 1; attempt <= SEND_ATTEMPTS; attempt++) {
            try {
                sqs.deleteMessage(delete -> delete.queueUrl(settings.taskQueueUrl())
                        .receiptHandle(message.receiptHandle()));
                succeeded(backoff);
                LOG.debug("run={} task={} deleted", request.runId(), request.taskId());
                return;
            } catch (SdkException e) {
                failed("delete task " + request.taskId(), e, backoff);
            }
        }
        LOG.warn("run={} task={} was not deleted; it will be received again and its result sent again (the "
                + "writer dedupes by task id)", request.runId(), request.taskId());
    }

    private void extend(InFlight task, TaskRequest request) {
        State state = task.state.get();
        if (state != State.COLLECTING && state != State.SENDING) {
            return;
        }
        try {
            sqs.changeMessageVisibility(change -> change.queueUrl(settings.taskQueueUrl())
                    .receiptHandle(task.message.receiptHandle())
                    .visibilityTimeout(visibilitySeconds));
            LOG.debug("run={} task={} visibility extended by {} s", request.runId(), request.taskId(),
                    visibilitySeconds);
        } catch (SdkException e) {
            LOG.warn("run={} task={} heartbeat failed, another agent may take the task: {}", request.runId(),
                    request.taskId(), e.getMessage());
        }
    }

    /** A third of the visibility timeout, so two heartbeats can fail before the task becomes visible. */
    private long heartbeatMillis() {
        return Math.max(200, visibilitySeconds * 1000L / 3);
    }

    private void releaseUnfinished() {
        for (InFlight task : inFlight.values()) {
            if (task.state.compareAndSet(State.COLLECTING, State.RELEASED)) {
                ScheduledFuture<?> heartbeat = task.heartbeat;
                if (heartbeat != null) {
                    heartbeat.cancel(false);
                }
                release(task.message, "the agent stopped before its collection finished");
            }
        }
    }

    /** Makes a task visible again at once, so another agent (or this one, restarted) takes it now. */
    private void release(Message message, String reason) {
        try {
            sqs.changeMessageVisibility(change -> change.queueUrl(settings.taskQueueUrl())
                    .receiptHandle(message.receiptHandle())
                    .visibilityTimeout(0));
            LOG.info("Task message={} made visible again: {}", message.messageId(), reason);
        } catch (SdkException e) {
            LOG.warn("Task message={} could not be released ({}); it reappears after its visibility timeout: {}",
                    message.messageId(), reason, e.getMessage());
        }
    }

    private void succeeded(Backoff backoff) {
        backoff.reset();
        consecutiveFailures.set(0);
        health.queueSucceeded();
    }

    private void failed(String action, SdkException e, Backoff backoff) {
        int failures = consecutiveFailures.incrementAndGet();
        health.queueFailed(e);
        Duration delay = backoff.nextDelay();
        LOG.warn("Could not {} (failure {} in a row), retrying in {} ms: {}", action, failures, delay.toMillis(),
                e.getMessage());
        try {
            stopRequested.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static String receiveCount(Message message) {
        return message.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "?");
    }

    private enum State { COLLECTING, SENDING, RELEASED, ABANDONED }

    /** A received task and where it is in its life; the state decides who may act on the receipt handle. */
    private static final class InFlight {
        final Message message;
        final AtomicReference<State> state = new AtomicReference<>(State.COLLECTING);
        volatile ScheduledFuture<?> heartbeat;

        InFlight(Message message) {
            this.message = message;
        }
    }
}
