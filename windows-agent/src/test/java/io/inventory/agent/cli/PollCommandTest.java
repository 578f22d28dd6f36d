package io.inventory.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.testing.SqsEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PollCommandTest {

    @TempDir
    Path dir;

    @AfterEach
    void restoreLogging() throws Exception {
        CliRun.restoreTestLogging();
    }

    @Test
    void unknownQueueIsAConfigurationErrorWithoutAStackTrace() throws Exception {
        try (SqsEmulator sqs = SqsEmulator.start()) {
            CliRun result = CliRun.run(dir, Map.of("AWS_REGION", "us-east-1"), "poll",
                    "--endpoint-url", sqs.endpoint().toString(), "--task-queue-name", "missing_tasks",
                    "--registry-file", RunCommandTest.fixture().toString(), "--health-port", "0",
                    "--log-dir", dir.resolve("logs").toString());

            assertThat(result.exitCode).isEqualTo(ExitCode.CONFIG_ERROR.code());
            assertThat(result.err).startsWith("inventory-agent: configuration error: queue 'missing_tasks' does "
                    + "not exist").doesNotContain("\tat ");
        }
    }

    @Test
    void invalidSettingInAgentPropertiesBesideTheJarStopsTheStart() throws Exception {
        Files.writeString(dir.resolve("agent.properties"), "workers=0\n");

        CliRun result = CliRun.run(dir, Map.of(), "poll", "--log-dir", dir.resolve("logs").toString());

        assertThat(result.exitCode).isEqualTo(ExitCode.CONFIG_ERROR.code());
        assertThat(result.err).isEqualTo("inventory-agent: configuration error: workers in "
                + dir.resolve("agent.properties") + ": 0 is outside 1 to 64" + System.lineSeparator());
    }
}
