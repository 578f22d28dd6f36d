package io.inventory.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

    @TempDir
    Path dir;

    private Path properties(String text) throws Exception {
        return Files.writeString(dir.resolve("agent.properties"), text);
    }

    @Test
    void flagBeatsEnvironmentWhichBeatsPropertiesWhichBeatDefault() throws Exception {
        Path file = properties("workers=3\npoll.wait.seconds=5\nhealth.port=7000\n");
        Map<String, String> env = Map.of("AGENT_WORKERS", "4", "POLL_WAIT_SECONDS", "6");

        AgentConfig config = AgentConfig.load(Map.of(ConfigKey.WORKERS, "5"), env, file, true, dir);

        assertThat(config.integer(ConfigKey.WORKERS, 1, 64)).isEqualTo(5);
        assertThat(config.integer(ConfigKey.WAIT_SECONDS, 0, 20)).isEqualTo(6);
        assertThat(config.integer(ConfigKey.HEALTH_PORT, 0, 65535)).isEqualTo(7000);
        assertThat(config.integer(ConfigKey.UNHEALTHY_AFTER, 1, 100)).isEqualTo(3);
        assertThat(config.queueName(ConfigKey.TASK_QUEUE_NAME)).isEqualTo("inventory_tasks");
        assertThat(config.logDir()).isEqualTo(dir.resolve("logs"));
    }

    @Test
    void unknownPropertyNamesItsFileAndLine() throws Exception {
        Path file = properties("# agent settings\nworkers=2\ntask.queue.nam=inventory_tasks\n");

        assertThatThrownBy(() -> AgentConfig.load(Map.of(), Map.of(), file, true, dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ":3: unknown setting 'task.queue.nam'")
                .hasMessageContaining("task.queue.name");
    }

    @Test
    void missingPropertiesFileIsFineUnlessItWasAskedFor() throws Exception {
        Path missing = dir.resolve("absent.properties");

        AgentConfig config = AgentConfig.load(Map.of(), Map.of(), missing, false, dir);

        assertThat(config.text(ConfigKey.RESULT_QUEUE_NAME)).contains("inventory_results");
        assertThatThrownBy(() -> AgentConfig.load(Map.of(), Map.of(), missing, true, dir))
                .hasMessage(missing + ": no such file");
    }

    @Test
    void invalidValuesNameTheSettingAndWhereTheValueCameFrom() throws Exception {
        Path file = properties("max.message.bytes=lots\n");
        AgentConfig config = AgentConfig.load(Map.of(), Map.of("TASK_QUEUE_URL", "sqs://queue"), file, true, dir);

        assertThatThrownBy(() -> config.integer(ConfigKey.MAX_MESSAGE_BYTES, 1024, 1048576))
                .hasMessage("max.message.bytes in " + file + ": 'lots' is not a whole number");
        assertThatThrownBy(() -> config.url(ConfigKey.TASK_QUEUE_URL))
                .hasMessageStartingWith("environment variable TASK_QUEUE_URL: 'sqs://queue' is not an http(s) URL");
        assertThatThrownBy(() -> AgentConfig.of(Map.of(ConfigKey.TASK_QUEUE_NAME, "tasks queue"), Map.of(), dir)
                .queueName(ConfigKey.TASK_QUEUE_NAME))
                .hasMessageStartingWith("flag for task.queue.name: 'tasks queue' is not a queue name");
    }

    @Test
    void registryFilesFromTheEnvironmentAreCommaSeparated() {
        AgentConfig config = AgentConfig.of(Map.of(), Map.of("REGISTRY_FILES", "a.reg, b.reg,"), dir);

        assertThat(config.registryFiles()).containsExactly(Path.of("a.reg"), Path.of("b.reg"));
    }
}
