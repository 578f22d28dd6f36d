package io.inventory.benchmarks.writer;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the HTTP requests an S3 client sends, retries included, by operation and by outcome: how many puts were
 * conditional ({@code If-Match} / {@code If-None-Match}) and how many of those lost with 412.
 */
final class RequestCounter implements ExecutionInterceptor {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        increment("requests");
        increment("requests." + operation);
        boolean conditional = context.httpRequest().firstMatchingHeader("If-Match").isPresent()
                || context.httpRequest().firstMatchingHeader("If-None-Match").isPresent();
        if ("PutObject".equals(operation) && conditional) {
            increment("conditional_puts");
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        int status = context.httpResponse().statusCode();
        if (status >= 300) {
            increment("status." + status);
        }
    }

    long get(String key) {
        LongAdder count = counts.get(key);
        return count == null ? 0 : count.sum();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((key, value) -> copy.put(key, value.sum()));
        return copy;
    }

    void reset() {
        counts.clear();
    }

    private void increment(String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }
}
