package io.inventory.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RunIdsTest {

    @Test
    void taskIdIsDerivedFromRunIdAndLine() {
        assertThat(RunIds.taskId("nightly-42", 7)).isEqualTo("nightly-42-L7");
        assertThat(RunIds.taskId("nightly-42", 7)).isEqualTo(RunIds.taskId("nightly-42", 7));
        assertThat(RunIds.isValidTaskId("nightly-42-L7")).isTrue();
    }

    @Test
    void newRunIdSortsByTimeAndIsValid() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-03T16:44:00Z"), ZoneOffset.UTC);

        String runId = RunIds.newRunId(clock);

        assertThat(runId).matches("run-20261203T164400Z-[0-9a-f]{8}");
        assertThat(RunIds.isValidRunId(runId)).isTrue();
        assertThat(RunIds.newRunId(clock)).isNotEqualTo(runId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-leading-dash", "has space", "../escape", "a/b", "ü-umlaut",
            "x12345678901234567890123456789012345678901234567890123456789012345"})
    void unsafeRunIdsAreInvalid(String runId) {
        assertThat(RunIds.isValidRunId(runId)).isFalse();
        assertThatThrownBy(() -> RunIds.taskId(runId, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lineNumbersStartAtOne() {
        assertThatThrownBy(() -> RunIds.taskId("run", 0)).hasMessageContaining("start at 1");
    }
}
