package io.inventory.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large export is read in bounded memory: a JVM whose heap is a fraction of the file reads it, and what the
 * registry retains is only the selected keys.
 */
class RegFileStreamingTest {

    private static final long TARGET_BYTES = 50L * 1024 * 1024;
    private static final int UNINSTALL_EVERY = 400;
    private static final String HEAP = "-Xmx16m";

    @TempDir
    Path temp;

    @Test
    void fiftyMegabyteExportIsReadByAJvmWithSixteenMegabytesOfHeap() throws Exception {
        Path export = temp.resolve("full-export.reg");
        int uninstallEntries = writeLargeExport(export);
        assertThat(Files.size(export)).isGreaterThanOrEqualTo(TARGET_BYTES);

        Process probe = new ProcessBuilder(javaExecutable(), HEAP, "-cp", System.getProperty("java.class.path"),
                StreamingProbe.class.getName(), export.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = probe.waitFor(10, TimeUnit.MINUTES);

        assertThat(finished).as("probe finished").isTrue();
        assertThat(probe.exitValue()).as("probe exit code; output:%n%s", output).isZero();
        assertThat(output).contains("uninstall=" + uninstallEntries)
                .contains("clsid-kept=false")
                .contains("first=Generated Program 00000")
                .contains("binary-bytes=96");
    }

    /** Mostly keys no collector reads (as in a real full export), with an Uninstall entry now and then. */
    private static int writeLargeExport(Path file) throws IOException {
        int uninstall = 0;
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_16LE), 1 << 16)) {
            out.write('\uFEFF');
            out.write("Windows Registry Editor Version 5.00\r\n\r\n");
            long chars = 0;
            for (int i = 0; chars * 2 < TARGET_BYTES; i++) {
                String block;
                if (i % UNINSTALL_EVERY == 0) {
                    block = String.format("[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall"
                            + "\\Generated %05d]\r\n\"DisplayName\"=\"Generated Program %05d\"\r\n"
                            + "\"Blob\"=%s\r\n\r\n", uninstall, uninstall, wrappedHex(96));
                    uninstall++;
                } else {
                    block = String.format("[HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes\\CLSID\\{%08X-0000-4000-8000-%012X}]"
                            + "\r\n@=\"Generated class %d\"\r\n\"Data\"=%s\r\n\r\n", i, (long) i, i, wrappedHex(64));
                }
                out.write(block);
                chars += block.length();
            }
        }
        return uninstall;
    }

    private static String wrappedHex(int bytes) {
        StringBuilder hex = new StringBuilder("hex:");
        for (int i = 0; i < bytes; i++) {
            hex.append(String.format("%02x", i));
            if (i < bytes - 1) {
                hex.append(',');
                if (i % 24 == 23) {
                    hex.append("\\\r\n  ");
                }
            }
        }
        return hex.toString();
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs in the small-heap JVM: reads the export and prints what the registry retained. */
    static final class StreamingProbe {

        private StreamingProbe() {
        }

        public static void main(String[] args) throws Exception {
            Registry registry = Registries.open(List.of(Path.of(args[0])));
            RegistryKey uninstall = RegistryKey.of(Hive.LOCAL_MACHINE,
                    "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall");
            List<String> entries = registry.subkeys(uninstall);
            RegistryValues first = registry.values(uninstall.child(entries.get(0)));
            boolean clsidKept = !registry.subkeys(RegistryKey.of(Hive.LOCAL_MACHINE, "SOFTWARE\\Classes\\CLSID"))
                    .isEmpty();
            System.out.println("uninstall=" + entries.size());
            System.out.println("clsid-kept=" + clsidKept);
            System.out.println("first=" + first.text("DisplayName").orElse(""));
            byte[] blob = first.get("Blob").flatMap(RegistryValue::asBytes).orElseThrow();
            System.out.println("binary-bytes=" + blob.length);
        }
    }
}
