package io.inventory.writer;

import io.inventory.codec.InvalidMessageException;
import io.inventory.writer.ConditionalObjectStore.PutOutcome;
import io.inventory.writer.ConditionalObjectStore.Versioned;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Read, change, conditionally write, and on a lost race read again: the optimistic update that lets any number of
 * writer invocations share one object without losing an update. Rounds are bounded and spaced by exponential
 * backoff with full jitter, so contending writers spread out instead of colliding again in step.
 */
final class CompareAndSwap {

    /** A change to one kind of stored object. */
    interface Change<T> {

        /** Parses the stored text. */
        T parse(String text) throws InvalidMessageException;

        /** The new value; {@code current} itself (or an equal value) when nothing needs writing. */
        T apply(T current);

        String print(T value);
    }

    private static final Logger LOG = LoggerFactory.getLogger(CompareAndSwap.class);

    private final ConditionalObjectStore store;
    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;

    CompareAndSwap(ConditionalObjectStore store, int maxAttempts, Duration baseDelay, Duration maxDelay) {
        this.store = store;
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    /**
     * Applies {@code change} to the object at {@code key} and returns the value now stored (null only when the
     * object is absent and the change left it so).
     *
     * @throws InvalidMessageException   when the stored object cannot be parsed; it is left as it is
     * @throws WriteContentionException when every attempt lost a race
     */
    <T> T update(String key, Change<T> change) throws InvalidMessageException, WriteContentionException {
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Optional<Versioned> stored = store.read(key);
            T current = stored.isPresent() ? change.parse(stored.get().text()) : null;
            T next = change.apply(current);
            if (Objects.equals(next, current)) {
                return current;
            }

            PutOutcome outcome = put(key, change.print(next), stored.map(Versioned::etag).orElse(null));
            if (outcome == PutOutcome.WRITTEN) {
                return next;
            }
            LOG.debug("key={} attempt={} outcome={}: reading again", key, attempt, outcome);
            if (attempt < maxAttempts) {
                pause(attempt);
            }
        }
        throw new WriteContentionException(store.bucket(), key, maxAttempts);
    }

    /**
     * Writes {@code text} once at {@code key}: true if this call created the object, false if it already existed.
     *
     * @throws WriteContentionException when S3 kept answering 409 (a concurrent write to the same key) or the
     *                                  connection kept failing
     */
    boolean createOnce(String key, String text) throws WriteContentionException {
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            PutOutcome outcome = put(key, text, null);
            if (outcome == PutOutcome.WRITTEN || outcome == PutOutcome.PRECONDITION_FAILED) {
                return outcome == PutOutcome.WRITTEN;
            }
            if (attempt < maxAttempts) {
                pause(attempt);
            }
        }
        throw new WriteContentionException(store.bucket(), key, maxAttempts);
    }

    /**
     * A conditional put whose connection failed after the SDK's own retries may or may not have been applied.
     * Reading again settles it: the change finds its own write and has nothing left to do, or it writes again.
     */
    private PutOutcome put(String key, String text, String etag) {
        try {
            return etag == null ? store.putIfAbsent(key, text) : store.putIfMatch(key, text, etag);
        } catch (SdkClientException e) {
            LOG.warn("key={} conditional put failed on the client side ({}); reading the object again",
                    key, e.getMessage());
            return PutOutcome.UNKNOWN;
        }
    }

    private void pause(int attempt) {
        long ceiling = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1, 20));
        long millis = ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }
}
