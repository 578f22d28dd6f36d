package io.inventory.benchmarks.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.benchmarks.measure.ResultFile;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the gateway benchmark once on a tiny commands file: it must finish and record both sides. */
class GatewayBenchmarkSmokeTest {

    @TempDir
    Path results;

    @BeforeEach
    void writeResultsToTheTemporaryFolder() {
        System.setProperty("bench.results", results.toString());
    }

    @AfterEach
    void restoreTheResultsFolder() {
        System.clearProperty("bench.results");
    }

    @Test
    void tinyRunQueuesEveryLineAndRecordsBothSides() throws Exception {
        GatewayBenchmark.main(new String[] {"30", "1"});

        ResultFile figures = ResultFile.read(results, "gateway").orElseThrow();
        assertThat(figures.number("lines")).contains(30.0);
        assertThat(figures.number("send.subject_ms.median").orElseThrow()).isPositive();
        assertThat(figures.number("send.baseline_ms.median").orElseThrow()).isPositive();
    }
}
