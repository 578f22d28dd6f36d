package io.inventory.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.codec.ProtoJson;
import io.inventory.proto.InventoryDocument;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectCommandTest {

    @TempDir
    Path dir;

    @AfterEach
    void restoreLogging() throws Exception {
        CliRun.restoreTestLogging();
    }

    @Test
    void collectPrintsOnlyTheDocumentOnStandardOutput() throws Exception {
        CliRun result = CliRun.run(dir, Map.of(), "collect", "--registry-file", RunCommandTest.fixture().toString(),
                "--sections", "os", "--log-dir", dir.resolve("logs").toString(), "--log-level", "DEBUG");

        assertThat(result.exitCode).as(result.err).isEqualTo(ExitCode.OK.code());
        InventoryDocument document = ProtoJson.parse(result.out, InventoryDocument.newBuilder());
        assertThat(document.getOs().getDisplayVersion()).isEqualTo("23H2");
        assertThat(document.getHost().getName()).isEqualTo("WS-FIXTURE-01");
        assertThat(document.getProgramsList()).as("programs were not asked for").isEmpty();
    }

    @Test
    void unknownSectionIsAUsageErrorNamingTheKnownSections() {
        CliRun result = CliRun.run(dir, Map.of(), "collect", "--sections", "os,disks");

        assertThat(result.exitCode).isEqualTo(ExitCode.USAGE.code());
        assertThat(result.err).contains("unknown section 'disks'; known sections: os, host, programs");
        assertThat(result.out).isEmpty();
    }

    @Test
    void versionPrintsTheAgentVersion() {
        CliRun result = CliRun.run(dir, Map.of(), "version");

        assertThat(result.exitCode).isEqualTo(ExitCode.OK.code());
        assertThat(result.out).startsWith("inventory-agent 0.1.0-SNAPSHOT");
    }

    @Test
    void helpListsTheExitCodes() {
        CliRun result = CliRun.run(dir, Map.of(), "--help");

        assertThat(result.exitCode).isEqualTo(ExitCode.OK.code());
        assertThat(result.out).contains("Exit codes:").contains("Bad arguments").contains("collect");
    }
}
