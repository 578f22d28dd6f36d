package io.inventory.benchmarks.queue;

import io.inventory.benchmarks.inventory.SyntheticInventory;
import io.inventory.codec.ProtoJson;
import io.inventory.proto.InventoryResult;
import io.inventory.queue.EncodedMessage;
import io.inventory.queue.MessageTooLargeException;
import io.inventory.queue.QueueMessageCodec;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What compression adds to sending a large result: {@link QueueMessageCodec#encode} (JSON, then gzip and base64
 * above the threshold) against printing the same result as plain JSON.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dlogback.configurationFile=benchmarks-logback.xml"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CompressionBenchmark {

    /** Queues can be raised to 1 MiB; the 5,000-program result needs it (see RESULTS.md for the sizes). */
    static final int LIMIT_BYTES = 1024 * 1024;

    @Param({"500", "5000"})
    public int programs;

    private InventoryResult result;
    private QueueMessageCodec codec;

    @Setup
    public void build() {
        result = resultWith(programs);
        codec = codec();
    }

    /** The baseline: the result printed as JSON. */
    @Benchmark
    public int plainJson() {
        return ProtoJson.toJson(result).length();
    }

    /** The subject: the codec's encoding, compressing above its threshold. */
    @Benchmark
    public int encode() throws MessageTooLargeException {
        return codec.encode(result, Map.of()).body().length();
    }

    /** The result the benchmark encodes. */
    public static InventoryResult resultWith(int programs) {
        return SyntheticInventory.result("bench-run", 1, "BENCH-HOST-01", programs,
                Instant.parse("2026-12-03T09:00:00Z"), 42);
    }

    /** The codec under test: the default compression threshold, the 1 MiB queue limit. */
    public static QueueMessageCodec codec() {
        return new QueueMessageCodec(LIMIT_BYTES, QueueMessageCodec.DEFAULT_COMPRESS_ABOVE_BYTES);
    }

    /** Sizes for the report: JSON bytes, encoded size as SQS counts it, and whether it was compressed. */
    public static EncodedMessage encodeOnce(int programs) throws MessageTooLargeException {
        return codec().encode(resultWith(programs), Map.of());
    }
}
