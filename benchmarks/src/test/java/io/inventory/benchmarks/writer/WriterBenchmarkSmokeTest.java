package io.inventory.benchmarks.writer;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.benchmarks.measure.ResultFile;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the writer benchmark once on tiny inputs: it must finish and record its figures; speed is not checked. */
class WriterBenchmarkSmokeTest {

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
    void tinyRunStoresEveryResultAndLosesNoUpdateOnHotHosts() throws Exception {
        WriterBenchmark.main(new String[] {"40", "8", "10", "2", "1", "60"});

        ResultFile figures = ResultFile.read(results, "writer").orElseThrow();
        assertThat(figures.number("hot.lost_updates")).contains(0.0);
        assertThat(figures.number("requests_per_result").orElseThrow())
                .as("each result costs at least its own run object").isGreaterThanOrEqualTo(1.0);
        assertThat(figures.number("store.ratio.median").orElseThrow()).isPositive();
        assertThat(figures.get("hot.cas_retry_rate")).isPresent();
    }
}
