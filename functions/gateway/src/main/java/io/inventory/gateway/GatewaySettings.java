package io.inventory.gateway;

import io.inventory.commands.CommandsParser;
import io.inventory.queue.QueueMessageCodec;
import java.time.Duration;
import java.util.Map;

/**
 * What the gateway needs to know: the task queue, the limits of one run, and how hard to try when SQS fails.
 *
 * @param taskQueueUrl      URL of the queue the tasks go to
 * @param maxTasksPerRun    most inventory tasks one run may queue
 * @param maxMessageBytes   the task queue's message size limit
 * @param maxCommandsBytes  largest commands file accepted
 * @param sendConcurrency   SendMessageBatch calls in flight at once for one run
 * @param maxSendAttempts   attempts per batch entry before it is reported as not queued
 * @param backoffBase       first retry delay; later ones double, with full jitter, up to {@code backoffCap}
 * @param backoffCap        longest delay between two attempts
 * @param defaultRunBudget  how long one run may take when the caller gives no deadline
 */
public record GatewaySettings(String taskQueueUrl, int maxTasksPerRun, int maxMessageBytes, int maxCommandsBytes,
                              int sendConcurrency, int maxSendAttempts, Duration backoffBase, Duration backoffCap,
                              Duration defaultRunBudget) {

    public static final String TASK_QUEUE_URL = "TASK_QUEUE_URL";
    public static final String MAX_TASKS_PER_RUN = "MAX_TASKS_PER_RUN";
    public static final String MAX_MESSAGE_BYTES = "MAX_MESSAGE_BYTES";

    public GatewaySettings {
        if (taskQueueUrl == null || taskQueueUrl.isBlank()) {
            throw new IllegalArgumentException(TASK_QUEUE_URL + " is required: the URL of the task queue");
        }
        requirePositive(maxTasksPerRun, MAX_TASKS_PER_RUN);
        requirePositive(maxMessageBytes, MAX_MESSAGE_BYTES);
        requirePositive(maxCommandsBytes, "maxCommandsBytes");
        requirePositive(sendConcurrency, "sendConcurrency");
        requirePositive(maxSendAttempts, "maxSendAttempts");
    }

    /** Settings with the defaults for everything but the queue. */
    public static GatewaySettings forQueue(String taskQueueUrl) {
        return new GatewaySettings(taskQueueUrl, CommandsParser.DEFAULT_MAX_TASKS,
                QueueMessageCodec.DEFAULT_MAX_MESSAGE_BYTES, CommandsParser.DEFAULT_MAX_BYTES, 4, 4,
                Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(25));
    }

    /**
     * Reads {@code TASK_QUEUE_URL} (required), {@code MAX_TASKS_PER_RUN} and {@code MAX_MESSAGE_BYTES}.
     *
     * @throws IllegalArgumentException naming the variable that is missing or not a positive number
     */
    public static GatewaySettings fromEnvironment(Map<String, String> environment) {
        GatewaySettings defaults = forQueue(environment.get(TASK_QUEUE_URL));
        return defaults.withMaxTasksPerRun(positiveInt(environment, MAX_TASKS_PER_RUN, defaults.maxTasksPerRun))
                .withMaxMessageBytes(positiveInt(environment, MAX_MESSAGE_BYTES, defaults.maxMessageBytes));
    }

    public GatewaySettings withMaxTasksPerRun(int value) {
        return new GatewaySettings(taskQueueUrl, value, maxMessageBytes, maxCommandsBytes, sendConcurrency,
                maxSendAttempts, backoffBase, backoffCap, defaultRunBudget);
    }

    public GatewaySettings withMaxMessageBytes(int value) {
        return new GatewaySettings(taskQueueUrl, maxTasksPerRun, value, maxCommandsBytes, sendConcurrency,
                maxSendAttempts, backoffBase, backoffCap, defaultRunBudget);
    }

    public GatewaySettings withSending(int concurrency, int attempts, Duration base, Duration cap) {
        return new GatewaySettings(taskQueueUrl, maxTasksPerRun, maxMessageBytes, maxCommandsBytes, concurrency,
                attempts, base, cap, defaultRunBudget);
    }

    private static int positiveInt(Map<String, String> environment, String name, int fallback) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            requirePositive(parsed, name);
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a positive whole number, got '" + value + "'", e);
        }
    }

    private static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
