package io.inventory.benchmarks.registry;

import io.inventory.commands.Section;
import io.inventory.inventory.InventoryCollector;
import io.inventory.proto.InventoryDocument;
import io.inventory.registry.RegFileException;
import io.inventory.registry.Registries;
import io.inventory.registry.Registry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
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
 * Parsing a .reg export and listing its programs, against reading the same file into one String (the I/O and
 * UTF-16 decoding any reader pays). Both run in the same fork on the same file, so their ratio is the figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-Dlogback.configurationFile=benchmarks-logback.xml"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RegExportBenchmark {

    @Param({"full-5mb", "full-20mb", "programs-25k", "programs-100k"})
    public String export;

    private Path file;

    @Setup
    public void generate() throws IOException {
        file = Exports.named(export).path();
    }

    /** The baseline: the whole file decoded into one String. */
    @Benchmark
    public int readIntoString() throws IOException {
        return Files.readString(file, StandardCharsets.UTF_16LE).length();
    }

    /** The subject: the streaming reader keeping the inventory's keys, then the programs section. */
    @Benchmark
    public int parseAndListPrograms() throws RegFileException {
        return listPrograms(file);
    }

    /** What the benchmark does once, shared with the profiling and memory runs. */
    public static int listPrograms(Path file) throws RegFileException {
        Registry registry = Registries.open(List.of(file));
        InventoryDocument document = new InventoryCollector(registry, Clock.systemUTC(), "benchmark")
                .collect(EnumSet.of(Section.PROGRAMS));
        if (!document.getErrorsList().isEmpty()) {
            throw new IllegalStateException("collection failed: " + document.getErrorsList());
        }
        return document.getProgramsCount();
    }
}
