package io.inventory.agent.cli;

import io.inventory.agent.config.ConfigKey;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The poll-mode flags; each overrides its environment variable and agent.properties setting. */
public final class PollOptions {

    @Option(names = "--task-queue-name", paramLabel = "NAME",
            description = "Task queue name (env TASK_QUEUE_NAME; default inventory_tasks).")
    String taskQueueName;

    @Option(names = "--task-queue-url", paramLabel = "URL",
            description = "Task queue URL; wins over the name (env TASK_QUEUE_URL).")
    String taskQueueUrl;

    @Option(names = "--result-queue-name", paramLabel = "NAME",
            description = "Result queue name (env RESULT_QUEUE_NAME; default inventory_results).")
    String resultQueueName;

    @Option(names = "--result-queue-url", paramLabel = "URL",
            description = "Result queue URL; wins over the name (env RESULT_QUEUE_URL).")
    String resultQueueUrl;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region (env AWS_REGION).")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "SQS endpoint, for local emulators (env AWS_ENDPOINT_URL).")
    String endpointUrl;

    @Option(names = "--workers", paramLabel = "N",
            description = "Concurrent collections (env AGENT_WORKERS; default 2).")
    String workers;

    @Option(names = "--max-message-bytes", paramLabel = "BYTES",
            description = "The result queue's maximum message size (env MAX_MESSAGE_BYTES; default 262144).")
    String maxMessageBytes;

    @Option(names = "--wait-seconds", paramLabel = "S",
            description = "Long-poll wait, 0 to 20 (env POLL_WAIT_SECONDS; default 20).")
    String waitSeconds;

    @Option(names = "--stop-timeout", paramLabel = "S",
            description = "Seconds a stop waits for collections in progress (env STOP_TIMEOUT_SECONDS; default 20).")
    String stopTimeout;

    @Option(names = "--health-port", paramLabel = "PORT",
            description = "Loopback port of the gRPC health service, 0 disables (env HEALTH_PORT; default 50151).")
    String healthPort;

    @Option(names = "--unhealthy-after", paramLabel = "N",
            description = "Consecutive queue failures before NOT_SERVING (env HEALTH_UNHEALTHY_AFTER; default 3).")
    String unhealthyAfter;

    Map<ConfigKey, String> flags() {
        Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
        put(flags, ConfigKey.TASK_QUEUE_NAME, taskQueueName);
        put(flags, ConfigKey.TASK_QUEUE_URL, taskQueueUrl);
        put(flags, ConfigKey.RESULT_QUEUE_NAME, resultQueueName);
        put(flags, ConfigKey.RESULT_QUEUE_URL, resultQueueUrl);
        put(flags, ConfigKey.REGION, region);
        put(flags, ConfigKey.ENDPOINT_URL, endpointUrl);
        put(flags, ConfigKey.WORKERS, workers);
        put(flags, ConfigKey.MAX_MESSAGE_BYTES, maxMessageBytes);
        put(flags, ConfigKey.WAIT_SECONDS, waitSeconds);
        put(flags, ConfigKey.STOP_TIMEOUT_SECONDS, stopTimeout);
        put(flags, ConfigKey.HEALTH_PORT, healthPort);
        put(flags, ConfigKey.UNHEALTHY_AFTER, unhealthyAfter);
        return flags;
    }

    private static void put(Map<ConfigKey, String> flags, ConfigKey key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }
}
