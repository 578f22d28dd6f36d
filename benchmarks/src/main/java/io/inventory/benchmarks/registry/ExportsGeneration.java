package io.inventory.benchmarks.registry;

import io.inventory.benchmarks.measure.ResultFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generates the exports a run needs before any timing starts, and records their sizes and key counts:
 * {@code <big export MB> <export name>...}; the big one is {@code full-<MB>mb.reg}, for the memory check.
 */
public final class ExportsGeneration {

    private ExportsGeneration() {
    }

    public static void main(String[] args) throws Exception {
        ResultFile results = ResultFile.create("exports");
        for (int i = 1; i < args.length; i++) {
            Path file = Exports.named(args[i]).path();
            results.put(args[i] + ".bytes", Files.size(file));
            for (String line : Files.readAllLines(Exports.summary(file))) {
                String[] pair = line.split("=", 2);
                results.put(args[i] + "." + pair[0], pair[1]);
            }
        }

        int megabytes = Integer.parseInt(args[0]);
        Path big = Exports.dataDirectory().resolve("full-" + megabytes + "mb.reg");
        if (!Files.isRegularFile(big)) {
            Path partial = Exports.dataDirectory().resolve("full-" + megabytes + "mb.reg.partial");
            RegExportGenerator.Summary summary =
                    RegExportGenerator.fullRegistry(partial, megabytes * 1024L * 1024, 400, 42);
            Files.writeString(Exports.summary(big), "keys=" + summary.keys() + "\nprograms="
                    + summary.listedPrograms() + "\n");
            Files.move(partial, big);
        }
        for (String line : Files.readAllLines(Exports.summary(big))) {
            String[] pair = line.split("=", 2);
            results.put("big." + pair[0], pair[1]);
        }
        results.put("big.bytes", Files.size(big));
        results.write();
    }
}
