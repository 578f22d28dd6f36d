package io.inventory.benchmarks.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegExportGeneratorTest {

    @TempDir
    Path directory;

    @Test
    void fullRegistryExportListsExactlyTheProgramsItWasGeneratedWith() throws Exception {
        Path file = directory.resolve("full.reg");

        RegExportGenerator.Summary summary = RegExportGenerator.fullRegistry(file, 256 * 1024, 40, 7);

        assertThat(summary.listedPrograms()).isEqualTo(40);
        assertThat(RegExportBenchmark.listPrograms(file)).isEqualTo(40);
        assertThat(summary.keys()).as("filler keys beyond the programs").isGreaterThan(300);
        assertThat(summary.bytes()).isBetween(200L * 1024, 320L * 1024);
    }

    @Test
    void programsExportListsEveryGeneratedProgramIncludingRegisteredMsiProducts() throws Exception {
        Path file = directory.resolve("programs.reg");

        RegExportGenerator.Summary summary = RegExportGenerator.programs(file, 1_000, 7);

        assertThat(RegExportBenchmark.listPrograms(file)).isEqualTo(summary.listedPrograms()).isEqualTo(1_000);
    }

    @Test
    void exportIsInRegeditsOwnFormat() throws Exception {
        Path file = directory.resolve("format.reg");

        RegExportGenerator.fullRegistry(file, 64 * 1024, 10, 7);

        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes[0]).isEqualTo((byte) 0xFF);
        assertThat(bytes[1]).isEqualTo((byte) 0xFE);
        String text = new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16LE);
        assertThat(text).startsWith("Windows Registry Editor Version 5.00\r\n\r\n[");
        assertThat(text).contains("=hex(2):").contains(",\\\r\n  ");
        assertThat(text).as("CRLF line ends only").doesNotContainPattern("[^\r]\n");
        assertThat(text.lines()).allMatch(line -> line.length() <= 120 || line.startsWith("["));
    }

    @Test
    void packedProductCodeReversesTheFirstGroupsAndSwapsTheDigitsOfTheRest() {
        String packed = RegExportGenerator.pack("{12345678-9ABC-DEF0-1234-56789ABCDEF0}");

        assertThat(packed).isEqualTo("87654321" + "CBA9" + "0FED" + "21436587A9CBED0F");
    }
}
