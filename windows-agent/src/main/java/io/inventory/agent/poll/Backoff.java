package io.inventory.agent.poll;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: each delay is half the capped exponential plus a random part of up to the other
 * half, so agents recovering from the same outage do not retry in step, yet none retries at once.
 */
final class Backoff {

    private final long baseMillis;
    private final long maxMillis;
    private int failures;

    Backoff(Duration base, Duration max) {
        this.baseMillis = Math.max(1, base.toMillis());
        this.maxMillis = Math.max(baseMillis, max.toMillis());
    }

    /** The delay before the next attempt, after one more failure. */
    Duration nextDelay() {
        failures = Math.min(failures + 1, 30);
        long ceiling = Math.min(maxMillis, baseMillis << Math.min(failures - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }

    void reset() {
        failures = 0;
    }
}
