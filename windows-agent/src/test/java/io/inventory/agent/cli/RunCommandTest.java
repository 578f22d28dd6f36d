package io.inventory.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.codec.ProtoJson;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.Program;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

    @TempDir
    Path dir;

    @AfterEach
    void restoreLogging() throws Exception {
        CliRun.restoreTestLogging();
    }

    static Path fixture() throws URISyntaxException {
        return Path.of(RunCommandTest.class.getResource("/agent/workstation-small.reg").toURI());
    }

    private CliRun run(String commands) throws Exception {
        return run(commands, fixture());
    }

    private CliRun run(String commands, Path registryFile) throws Exception {
        return run(commands, registryFile, "2");
    }

    private CliRun run(String commands, Path registryFile, String workers) throws Exception {
        Path file = dir.resolve("commands.txt");
        Files.writeString(file, commands, StandardCharsets.UTF_8);
        return CliRun.run(dir, Map.of(), "run", "--commands", file.toString(),
                "--registry-file", registryFile.toString(), "--workers", workers,
                "--out", dir.resolve("data/payload.json").toString(), "--log-dir", dir.resolve("logs").toString());
    }


    private InventoryDocument payload() throws Exception {
        return ProtoJson.parse(Files.readString(dir.resolve("data/payload.json")), InventoryDocument.newBuilder());
    }

    @Test
    void runOverRegExportWritesThePayloadTheExportDescribes() throws Exception {
        CliRun result = run("# weekly\ninventory\n");

        assertThat(result.exitCode).as(result.err).isEqualTo(ExitCode.OK.code());
        InventoryDocument document = payload();
        assertThat(document.getStatus()).isEqualTo("ok");
        assertThat(document.getHost().getName()).isEqualTo("WS-FIXTURE-01");
        assertThat(document.getHost().getDomain()).isEqualTo("corp.example.com");
        assertThat(document.getOs().getProductName()).isEqualTo("Windows 11 Pro");
        assertThat(document.getOs().getVersion()).isEqualTo("10.0.22631.4420");
        assertThat(document.getProgramsList()).extracting(Program::getName)
                .containsExactlyInAnyOrder("7-Zip 23.01 (x64)", "Notepad++ (32-bit x86)");
        assertThat(document.getRunId()).startsWith("run-");
        assertThat(document.getTaskId()).isEqualTo(document.getRunId() + "-L2");
        assertThat(result.out).contains("1 tasks accepted, 0 lines rejected; ok 1");
    }

    @Test
    void runOverTheSampleWorkstationExportWritesItsInventory() throws Exception {
        Path sample = Path.of("..", "samples", "workstation.reg").toAbsolutePath().normalize();
        assertThat(sample).as("the repository's sample export").isRegularFile();

        CliRun result = run("inventory os\ninventory\n", sample, "1");

        assertThat(result.exitCode).as(result.err).isEqualTo(ExitCode.OK.code());
        InventoryDocument document = payload();
        assertThat(document.getTaskId()).as("one worker: line 2 is collected last, so it is the newest")
                .endsWith("-L2");
        assertThat(document.getHost().getName()).isEqualTo("WS-ACCT-042");
        assertThat(document.getOs().getProductName()).isEqualTo("Windows 11 Pro");
        assertThat(document.getProgramsCount()).isEqualTo(32);
        assertThat(result.out).contains("2 tasks accepted, 0 lines rejected; ok 2");
    }

    @Test
    void rejectedLinesAreReportedWithTheirNumbersAndTheRestStillRuns() throws Exception {
        CliRun result = run("inventory os\nreboot now\n\ninventory disks\n");

        assertThat(result.exitCode).isEqualTo(ExitCode.REJECTED_LINES.code());
        assertThat(result.out)
                .contains("rejected line 2: unknown command 'reboot'")
                .contains("rejected line 4: unknown section 'disks'")
                .contains("(line 1): ok");
        assertThat(payload().getOs().getCurrentBuild()).isEqualTo("22631");
    }

    @Test
    void failedSectionsMakeTheRunExitWithTasksFailed() throws Exception {
        Path empty = dir.resolve("empty.reg");
        Files.writeString(empty, "Windows Registry Editor Version 5.00\r\n\r\n", StandardCharsets.UTF_16LE);

        CliRun result = run("inventory\n", empty);

        assertThat(result.exitCode).isEqualTo(ExitCode.TASKS_FAILED.code());
        assertThat(result.out).containsPattern("\\(line 1\\): (partial|error) - ");
    }

    @Test
    void missingCommandsFileExitsWithCommandsUnreadable() throws Exception {
        CliRun result = CliRun.run(dir, Map.of(), "run", "--commands", dir.resolve("nope.txt").toString(),
                "--registry-file", fixture().toString(), "--log-dir", dir.resolve("logs").toString());

        assertThat(result.exitCode).isEqualTo(ExitCode.COMMANDS_UNREADABLE.code());
        assertThat(result.err).contains("nope.txt does not exist").doesNotContain("\tat ");
    }

    @Test
    void malformedRegistryFileNamesTheFileAndLine() throws Exception {
        Path broken = dir.resolve("broken.reg");
        Files.writeString(broken, "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\r\n",
                StandardCharsets.UTF_16LE);

        CliRun result = run("inventory\n", broken);

        assertThat(result.exitCode).isEqualTo(ExitCode.REGISTRY_FILE_INVALID.code());
        assertThat(result.err).contains("broken.reg:3").doesNotContain("\tat ");
        assertThat(dir.resolve("data/payload.json")).doesNotExist();
    }

    @Test
    void unknownOptionPrintsUsageAndExitsWithUsage() {
        CliRun result = CliRun.run(dir, Map.of(), "run", "--commands", "x.txt", "--wokers", "2");

        assertThat(result.exitCode).isEqualTo(ExitCode.USAGE.code());
        assertThat(result.err).contains("Unknown options: '--wokers', '2'")
                .contains("Possible solutions: --workers").contains("Usage: inventory-agent run");
    }

    @Test
    void invalidLogLevelFromTheEnvironmentIsAConfigurationError() throws Exception {
        Path file = dir.resolve("commands.txt");
        Files.writeString(file, "inventory\n");

        CliRun result = CliRun.run(dir, Map.of("LOG_LEVEL", "LOUD"), "run", "--commands", file.toString(),
                "--log-dir", dir.resolve("logs").toString());

        assertThat(result.exitCode).isEqualTo(ExitCode.CONFIG_ERROR.code());
        assertThat(result.err).contains("environment variable LOG_LEVEL: 'LOUD' is not a log level");
    }

    @Test
    void logsGoToTheRotatingFileInTheLogFolderAndFollowLogDirFromTheEnvironment() throws Exception {
        Path file = dir.resolve("commands.txt");
        Files.writeString(file, "inventory\n");
        Path logs = dir.resolve("env-logs");

        CliRun result = CliRun.run(dir, Map.of("LOG_DIR", logs.toString(), "LOG_LEVEL", "info"), "run",
                "--commands", file.toString(), "--registry-file", fixture().toString(),
                "--out", dir.resolve("out.json").toString());

        assertThat(result.exitCode).isEqualTo(ExitCode.OK.code());
        CliRun.restoreTestLogging();
        assertThat(Files.readString(logs.resolve("inventory-agent.log")))
                .contains("INFO")
                .contains("Run run-")
                .contains("task=run-");
    }
}
