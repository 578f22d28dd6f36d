package io.inventory.writer;

import java.time.Duration;
import java.util.Map;

/**
 * The writer's configuration, read from the Lambda environment by {@link #fromEnvironment(Map)}.
 *
 * @param bucket            {@code BUCKET_NAME}, required
 * @param keyPrefix         {@code KEY_PREFIX}, default empty; a trailing slash is added when missing
 * @param fleetIndexShards  {@code FLEET_INDEX_SHARDS}: 0 keeps no fleet index, 1 keeps one {@code payload.json} at
 *                          the prefix root, more spread the index over {@code fleet/<shard>.json}; default 1
 * @param casMaxAttempts    {@code CAS_MAX_ATTEMPTS}: read-merge-write rounds per object before giving up, default 8
 * @param casBaseDelay      {@code CAS_BASE_DELAY_MS}: first backoff after a lost compare-and-swap, default 25 ms;
 *                          it doubles per round up to {@code casMaxDelay}, with full jitter
 * @param casMaxDelay       {@code CAS_MAX_DELAY_MS}: longest single backoff, default 1000 ms
 * @param threads           {@code WRITER_THREADS}: hosts of one batch written in parallel, default 4
 */
public record WriterSettings(String bucket, String keyPrefix, int fleetIndexShards, int casMaxAttempts,
                             Duration casBaseDelay, Duration casMaxDelay, int threads) {

    public static final int MAX_FLEET_INDEX_SHARDS = 256;

    public WriterSettings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("BUCKET_NAME is required");
        }
        keyPrefix = normalisePrefix(keyPrefix);
        requireRange("FLEET_INDEX_SHARDS", fleetIndexShards, 0, MAX_FLEET_INDEX_SHARDS);
        requireRange("CAS_MAX_ATTEMPTS", casMaxAttempts, 1, 100);
        requireRange("WRITER_THREADS", threads, 1, 64);
        if (casBaseDelay.isNegative() || casMaxDelay.compareTo(casBaseDelay) < 0) {
            throw new IllegalArgumentException("CAS_BASE_DELAY_MS must be at least 0 and at most CAS_MAX_DELAY_MS");
        }
    }

    /** Settings for {@code bucket} with every other value at its default. */
    public static WriterSettings forBucket(String bucket) {
        return fromEnvironment(Map.of("BUCKET_NAME", bucket));
    }

    /**
     * Reads the settings from environment variables.
     *
     * @throws IllegalArgumentException naming the variable that is missing or not a valid number
     */
    public static WriterSettings fromEnvironment(Map<String, String> env) {
        return new WriterSettings(
                env.get("BUCKET_NAME"),
                env.getOrDefault("KEY_PREFIX", ""),
                intValue(env, "FLEET_INDEX_SHARDS", 1),
                intValue(env, "CAS_MAX_ATTEMPTS", 8),
                Duration.ofMillis(intValue(env, "CAS_BASE_DELAY_MS", 25)),
                Duration.ofMillis(intValue(env, "CAS_MAX_DELAY_MS", 1000)),
                intValue(env, "WRITER_THREADS", 4));
    }

    public WriterSettings withFleetIndexShards(int shards) {
        return new WriterSettings(bucket, keyPrefix, shards, casMaxAttempts, casBaseDelay, casMaxDelay, threads);
    }

    public WriterSettings withKeyPrefix(String prefix) {
        return new WriterSettings(bucket, prefix, fleetIndexShards, casMaxAttempts, casBaseDelay, casMaxDelay,
                threads);
    }

    public WriterSettings withCompareAndSwap(int maxAttempts, Duration baseDelay, Duration maxDelay) {
        return new WriterSettings(bucket, keyPrefix, fleetIndexShards, maxAttempts, baseDelay, maxDelay, threads);
    }

    private static String normalisePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        if (prefix.startsWith("/")) {
            throw new IllegalArgumentException("KEY_PREFIX must not start with '/': " + prefix);
        }
        return prefix.endsWith("/") ? prefix : prefix + "/";
    }

    private static int intValue(Map<String, String> env, String name, int defaultValue) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
        }
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
