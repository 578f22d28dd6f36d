package io.inventory.benchmarks.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The named exports the benchmarks read, generated on first use into the data directory (system property
 * {@code bench.data}, default {@code target/bench-data}) and reused while the file is there.
 */
public enum Exports {

    /** A whole-registry export of about 5 MB and 10k keys, 300 of them listed programs. */
    FULL_5MB("full-5mb.reg") {
        @Override
        RegExportGenerator.Summary generate(Path file) throws IOException {
            return RegExportGenerator.fullRegistry(file, 5L * 1024 * 1024, 300, 42);
        }
    },

    /** The same mix at four times the size, to check that time grows linearly with size. */
    FULL_20MB("full-20mb.reg") {
        @Override
        RegExportGenerator.Summary generate(Path file) throws IOException {
            return RegExportGenerator.fullRegistry(file, 20L * 1024 * 1024, 1200, 42);
        }
    },

    /** 25,000 listed programs and nothing else. */
    PROGRAMS_25K("programs-25k.reg") {
        @Override
        RegExportGenerator.Summary generate(Path file) throws IOException {
            return RegExportGenerator.programs(file, 25_000, 42);
        }
    },

    /** 100,000 listed programs and nothing else. */
    PROGRAMS_100K("programs-100k.reg") {
        @Override
        RegExportGenerator.Summary generate(Path file) throws IOException {
            return RegExportGenerator.programs(file, 100_000, 42);
        }
    },

    /** A few keys, for the smoke test that every benchmark runs at all. */
    TINY("tiny.reg") {
        @Override
        RegExportGenerator.Summary generate(Path file) throws IOException {
            return RegExportGenerator.fullRegistry(file, 64 * 1024, 20, 42);
        }
    };

    private final String fileName;

    Exports(String fileName) {
        this.fileName = fileName;
    }

    abstract RegExportGenerator.Summary generate(Path file) throws IOException;

    /** The export's path, generating it first when it is missing. */
    public Path path() throws IOException {
        Path directory = dataDirectory();
        Path file = directory.resolve(fileName);
        if (!Files.isRegularFile(file)) {
            Files.createDirectories(directory);
            Path partial = directory.resolve(fileName + ".partial");
            RegExportGenerator.Summary summary = generate(partial);
            Files.writeString(summary(file), "keys=" + summary.keys() + "\nprograms=" + summary.listedPrograms()
                    + "\n");
            Files.move(partial, file);
        }
        return file;
    }

    /** The {@code key=value} file beside a generated export: its key count and listed programs. */
    public static Path summary(Path export) {
        return export.resolveSibling(export.getFileName() + ".summary");
    }

    /** The directory generated inputs go to. */
    public static Path dataDirectory() {
        return Path.of(System.getProperty("bench.data", "target/bench-data")).toAbsolutePath();
    }

    /** The constant for a JMH parameter value such as {@code full-5mb}. */
    public static Exports named(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
