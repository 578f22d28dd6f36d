package io.inventory.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.inventory.InventoryCollector;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.Program;
import io.inventory.registry.Registries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticExportTest {

    @TempDir
    Path dir;

    @Test
    void exportIsWrittenInRegeditFormat() throws Exception {
        SyntheticExport export = new SyntheticExport("LAB-01", 3, "1.0");

        byte[] bytes = Files.readAllBytes(export.writeTo(dir.resolve("lab.reg")));

        assertThat(bytes).startsWith(0xFF, 0xFE);
        String text = new String(bytes, StandardCharsets.UTF_16LE);
        assertThat(text).startsWith("\uFEFFWindows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\");
        assertThat(text.replace("\r\n", "")).doesNotContain("\n");
        assertThat(text).contains("=hex(2):25,00,").contains(",\\\r\n  ").endsWith("\r\n\r\n");
        assertThat(text.lines().filter(line -> line.contains("=hex(") || line.startsWith("  ")))
                .as("wrapped hex lines").isNotEmpty()
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
    }

    @Test
    void agentCollectorsReadTheHostAndEveryProgramBack() throws Exception {
        SyntheticExport export = new SyntheticExport("LAB-02", 250, "2.5");
        Path file = export.writeTo(dir.resolve("lab.reg"));

        InventoryDocument document = new InventoryCollector(Registries.open(List.of(file)), Clock.systemUTC(), "test")
                .collect(Set.of());

        assertThat(document.getErrorsList()).isEmpty();
        assertThat(document.getHost().getName()).isEqualTo("LAB-02");
        assertThat(document.getProgramsList()).extracting(Program::getName)
                .containsExactlyInAnyOrderElementsOf(export.programNames());
        assertThat(document.getProgramsList()).extracting(Program::getVersion).containsOnly("2.5");
        assertThat(document.getProgramsList()).extracting(Program::getInstallLocation)
                .contains("%ProgramFiles%\\Synthetic\\App 107\\");
        assertThat(export.programNames()).contains("Synthetic Application 00107 Comptabilité 会計");
    }
}
