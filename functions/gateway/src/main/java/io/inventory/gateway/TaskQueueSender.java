package io.inventory.gateway;

import io.inventory.queue.EncodedMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Sends a run's tasks to the task queue with SendMessageBatch: at most 10 entries per call, several calls in
 * flight, and only the entries that failed are retried, with jittered exponential backoff, a bounded number of
 * times and never past the run's deadline. The outcome says exactly which tasks SQS acknowledged.
 */
final class TaskQueueSender {

    /** SQS accepts at most 10 entries in one SendMessageBatch call. */
    static final int MAX_BATCH_ENTRIES = 10;

    private static final Logger LOG = LoggerFactory.getLogger(TaskQueueSender.class);

    private final SqsClient sqs;
    private final ExecutorService executor;
    private final GatewaySettings settings;

    TaskQueueSender(SqsClient sqs, ExecutorService executor, GatewaySettings settings) {
        this.sqs = sqs;
        this.executor = executor;
        this.settings = settings;
    }

    /** A task ready to send. */
    record OutgoingTask(String taskId, EncodedMessage message) {
    }

    /**
     * What happened to a run's tasks.
     *
     * @param queued   ids of the tasks SQS acknowledged
     * @param failures the other tasks' ids, each with the last error seen
     */
    record Outcome(Set<String> queued, Map<String, String> failures) {
    }

    Outcome send(String runId, List<OutgoingTask> tasks, Instant deadline) throws InterruptedException {
        List<List<OutgoingTask>> batches = batches(tasks);
        AtomicReference<String> fatal = new AtomicReference<>();
        Map<String, String> context = MDC.getCopyOfContextMap();

        List<Callable<Outcome>> calls = new ArrayList<>();
        for (List<OutgoingTask> batch : batches) {
            calls.add(() -> withContext(context, () -> sendBatch(runId, batch, deadline, fatal)));
        }

        Set<String> queued = new HashSet<>();
        Map<String, String> failures = new LinkedHashMap<>();
        List<Future<Outcome>> futures = executor.invokeAll(calls);
        for (int i = 0; i < futures.size(); i++) {
            try {
                Outcome outcome = futures.get(i).get();
                queued.addAll(outcome.queued());
                failures.putAll(outcome.failures());
            } catch (ExecutionException e) {
                LOG.error("run={} a batch of {} tasks failed unexpectedly", runId, batches.get(i).size(),
                        e.getCause());
                batches.get(i).forEach(t -> failures.put(t.taskId(), "internal error: " + e.getCause()));
            }
        }
        return new Outcome(Collections.unmodifiableSet(queued), Collections.unmodifiableMap(failures));
    }

    /** Up to 10 entries per batch, and no more bytes than SQS accepts for one batch request. */
    private List<List<OutgoingTask>> batches(List<OutgoingTask> tasks) {
        List<List<OutgoingTask>> batches = new ArrayList<>();
        List<OutgoingTask> current = new ArrayList<>();
        int currentBytes = 0;
        for (OutgoingTask task : tasks) {
            int size = task.message().sizeBytes();
            if (current.size() == MAX_BATCH_ENTRIES
                    || (!current.isEmpty() && currentBytes + size > settings.maxMessageBytes())) {
                batches.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(task);
            currentBytes += size;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    private Outcome sendBatch(String runId, List<OutgoingTask> batch, Instant deadline,
                              AtomicReference<String> fatal) {
        Map<String, OutgoingTask> pending = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            pending.put("t" + i, batch.get(i));
        }
        Set<String> queued = new HashSet<>();
        Map<String, String> failures = new HashMap<>();
        String lastError = "not attempted";

        for (int attempt = 1; attempt <= settings.maxSendAttempts() && !pending.isEmpty(); attempt++) {
            if (fatal.get() != null) {
                lastError = fatal.get();
                break;
            }
            if (attempt > 1 && !backOff(attempt, deadline)) {
                lastError = lastError + " (no time left to retry)";
                break;
            }

            Duration remaining = Duration.between(Instant.now(), deadline);
            if (remaining.isNegative() || remaining.isZero()) {
                lastError = attempt == 1
                        ? "not sent: the run's time was used up"
                        : lastError + " (no time left to retry)";
                break;
            }
            try {
                // The SDK retries inside one call too; the call's timeout keeps those retries within the run's time.
                SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b
                        .queueUrl(settings.taskQueueUrl())
                        .entries(pending.entrySet().stream().map(e -> entry(e.getKey(), e.getValue())).toList())
                        .overrideConfiguration(o -> o.apiCallTimeout(remaining)));
                for (SendMessageBatchResultEntry ok : response.successful()) {
                    OutgoingTask task = pending.remove(ok.id());
                    if (task != null) {
                        queued.add(task.taskId());
                        LOG.debug("run={} task={} queued message={}", runId, task.taskId(), ok.messageId());
                    }
                }
                for (BatchResultErrorEntry failed : response.failed()) {
                    lastError = failed.code() + ": " + failed.message();
                    if (Boolean.TRUE.equals(failed.senderFault())) {
                        // A sender fault (an invalid entry) fails the same way every time; retrying cannot help.
                        OutgoingTask task = pending.remove(failed.id());
                        if (task != null) {
                            failures.put(task.taskId(), lastError);
                        }
                    }
                }
            } catch (SqsException e) {
                lastError = describe(e);
                if (!isRetryable(e)) {
                    // The queue is missing or we may not use it: every other batch would fail the same way.
                    fatal.compareAndSet(null, lastError);
                    break;
                }
                LOG.debug("run={} attempt {} of a batch failed: {}", runId, attempt, lastError);
            } catch (SdkException e) {
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                LOG.debug("run={} attempt {} of a batch failed: {}", runId, attempt, lastError);
            }
        }

        for (OutgoingTask task : pending.values()) {
            failures.put(task.taskId(), lastError);
        }
        if (!failures.isEmpty()) {
            LOG.warn("run={} {} of {} tasks in a batch were not queued: {}", runId, failures.size(), batch.size(),
                    lastError);
        }
        return new Outcome(queued, failures);
    }

    /** Sleeps before the next attempt; false when the deadline would pass first. */
    private boolean backOff(int attempt, Instant deadline) {
        long capMillis = settings.backoffCap().toMillis();
        long ceiling = Math.min(capMillis, settings.backoffBase().toMillis() << Math.min(attempt - 2, 20));
        // Full jitter: concurrent batches that failed together do not retry in lockstep.
        long delay = ThreadLocalRandom.current().nextLong(ceiling + 1);
        if (Instant.now().plusMillis(delay).isAfter(deadline)) {
            return false;
        }
        try {
            Thread.sleep(delay);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean isRetryable(SqsException e) {
        return e.statusCode() >= 500 || e.statusCode() == 429 || e.isThrottlingException();
    }

    private static String describe(SqsException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        return (code == null ? "HTTP " + e.statusCode() : code) + ": " + message;
    }

    private static SendMessageBatchRequestEntry entry(String id, OutgoingTask task) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        task.message().attributes().forEach((name, value) ->
                attributes.put(name, MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
        return SendMessageBatchRequestEntry.builder()
                .id(id)
                .messageBody(task.message().body())
                .messageAttributes(attributes)
                .build();
    }

    private static <T> T withContext(Map<String, String> context, Callable<T> call) throws Exception {
        if (context != null) {
            MDC.setContextMap(context);
        }
        try {
            return call.call();
        } finally {
            MDC.clear();
        }
    }
}
