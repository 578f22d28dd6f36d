package io.inventory.benchmarks.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs every JMH benchmark once, in this JVM, on the tiny inputs: the harness works; no timing is checked. */
class InProcessBenchmarksSmokeTest {

    @TempDir
    Path data;

    @BeforeEach
    void generateIntoTheTemporaryFolder() {
        System.setProperty("bench.data", data.toString());
    }

    @AfterEach
    void restoreTheDataFolder() {
        System.clearProperty("bench.data");
    }

    @Test
    void everyBenchmarkRunsOnceOnTinyInputs() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("RegExportBenchmark|CompressionBenchmark")
                .param("export", "tiny")
                .param("programs", "500")
                .forks(0)
                .mode(Mode.SingleShotTime)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(1))
                .timeUnit(TimeUnit.MILLISECONDS)
                .shouldFailOnError(true)
                .build()).run();

        assertThat(results).extracting(result -> result.getParams().getBenchmark().replaceAll(".*\\.", ""))
                .containsExactlyInAnyOrder("readIntoString", "parseAndListPrograms", "plainJson", "encode");
    }
}
