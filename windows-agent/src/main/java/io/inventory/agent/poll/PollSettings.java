package io.inventory.agent.poll;

import java.time.Duration;

/**
 * How the poller talks to the queues.
 *
 * @param workers         most tasks collected at once; also caps how many messages one receive asks for
 * @param maxMessageBytes the result queue's maximum message size
 * @param waitSeconds     long-poll wait of each receive (SQS allows 0 to 20)
 * @param stopTimeout     how long a stop waits for collections in progress before releasing their tasks
 * @param unhealthyAfter  consecutive failed queue calls after which the health service says NOT_SERVING
 * @param hostName        the host name sent with a result whose collection found none
 * @param backoffBase     first delay after a failed queue call; doubles per failure, with full jitter
 * @param backoffMax      longest delay between failed queue calls
 */
public record PollSettings(String taskQueueUrl, String resultQueueUrl, int workers, int maxMessageBytes,
                           int waitSeconds, Duration stopTimeout, int unhealthyAfter, String hostName,
                           Duration backoffBase, Duration backoffMax) {

    public PollSettings {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        if (waitSeconds < 0 || waitSeconds > 20) {
            throw new IllegalArgumentException("waitSeconds must be 0 to 20, got " + waitSeconds);
        }
        if (hostName == null || hostName.isBlank()) {
            throw new IllegalArgumentException("a host name is required");
        }
    }

    /** Settings with the production defaults for the timing values. */
    public static PollSettings of(String taskQueueUrl, String resultQueueUrl, int workers, int maxMessageBytes,
                                  int waitSeconds, Duration stopTimeout, int unhealthyAfter, String hostName) {
        return new PollSettings(taskQueueUrl, resultQueueUrl, workers, maxMessageBytes, waitSeconds, stopTimeout,
                unhealthyAfter, hostName, Duration.ofSeconds(1), Duration.ofSeconds(60));
    }
}
