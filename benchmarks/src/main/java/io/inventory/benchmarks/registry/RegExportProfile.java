package io.inventory.benchmarks.registry;

import io.inventory.benchmarks.profile.CpuProfile;
import java.nio.file.Path;

/**
 * Profiles the parse-and-list work of {@link RegExportBenchmark} on one export with JFR, outside JMH so that the
 * profile holds nothing but that work: {@code <export name> <repetitions>}.
 */
public final class RegExportProfile {

    private RegExportProfile() {
    }

    public static void main(String[] args) throws Exception {
        Exports export = Exports.named(args[0]);
        int repetitions = Integer.parseInt(args[1]);
        Path file = export.path();
        for (int i = 0; i < 2; i++) {
            RegExportBenchmark.listPrograms(file);
        }
        CpuProfile profile = CpuProfile.start("parse-" + args[0]);
        try {
            for (int i = 0; i < repetitions; i++) {
                RegExportBenchmark.listPrograms(file);
            }
        } finally {
            profile.close();
        }
    }
}
