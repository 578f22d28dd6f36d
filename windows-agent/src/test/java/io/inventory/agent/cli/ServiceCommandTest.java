package io.inventory.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.agent.service.ServiceDefinition;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class ServiceCommandTest {

    @TempDir
    Path dir;

    @Test
    void serviceCommandLineQuotesPathsWithSpacesAndRunsJavaDirectly() {
        Path java = Path.of("C:/Program Files/inventory-agent/jre/bin/java.exe");
        Path jar = Path.of("C:/Program Files/inventory-agent/inventory-agent.jar");
        ServiceDefinition service = new ServiceDefinition("inventory-agent", java, jar);

        String commandLine = service.commandLine();

        assertThat(commandLine).isEqualTo("\"" + java + "\" -Xrs -Xmx512m -cp \"" + jar
                + "\" io.inventory.agent.cli.AgentCli service run --name inventory-agent");
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "on Windows the command would really install a service; "
            + "the Windows CI workflow covers install, start, stop and uninstall")
    void serviceCommandsRefuseClearlyOffWindows() {
        CliRun result = CliRun.run(dir, Map.of(), "service", "install");

        assertThat(result.exitCode).isEqualTo(ExitCode.SERVICE_FAILED.code());
        assertThat(result.err).startsWith("inventory-agent: service commands need Windows");
    }

    @Test
    void serviceWithoutASubcommandIsAUsageError() {
        CliRun result = CliRun.run(dir, Map.of(), "service");

        assertThat(result.exitCode).isEqualTo(ExitCode.USAGE.code());
        assertThat(result.err).contains("install, uninstall or run").contains("Usage: inventory-agent service");
    }
}
