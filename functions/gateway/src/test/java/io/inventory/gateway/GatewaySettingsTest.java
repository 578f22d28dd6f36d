package io.inventory.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {

    @Test
    void environmentSetsTheQueueAndLimits() {
        GatewaySettings settings = GatewaySettings.fromEnvironment(Map.of(
                "TASK_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/123456789012/inventory_tasks",
                "MAX_TASKS_PER_RUN", "250",
                "MAX_MESSAGE_BYTES", "1048576"));

        assertThat(settings.taskQueueUrl()).endsWith("/inventory_tasks");
        assertThat(settings.maxTasksPerRun()).isEqualTo(250);
        assertThat(settings.maxMessageBytes()).isEqualTo(1_048_576);
    }

    @Test
    void optionalLimitsKeepTheirDefaultsWhenUnset() {
        GatewaySettings settings = GatewaySettings.fromEnvironment(Map.of("TASK_QUEUE_URL", "http://q"));

        assertThat(settings.maxTasksPerRun()).isEqualTo(10_000);
        assertThat(settings.maxMessageBytes()).isEqualTo(256 * 1024);
    }

    @Test
    void aMissingQueueUrlNamesTheVariable() {
        assertThatThrownBy(() -> GatewaySettings.fromEnvironment(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TASK_QUEUE_URL is required");
    }

    @Test
    void aLimitThatIsNotANumberNamesTheVariableAndTheValue() {
        assertThatThrownBy(() -> GatewaySettings.fromEnvironment(Map.of("TASK_QUEUE_URL", "http://q",
                "MAX_TASKS_PER_RUN", "lots")))
                .hasMessageContaining("MAX_TASKS_PER_RUN")
                .hasMessageContaining("'lots'");
    }
}
