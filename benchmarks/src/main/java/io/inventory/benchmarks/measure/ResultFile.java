package io.inventory.benchmarks.measure;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The figures one benchmark measured, as a sorted {@code key=value} file in the results directory (system
 * property {@code bench.results}, default {@code target/bench-results}), which the report reads back.
 */
public final class ResultFile {

    private final String name;
    private final Map<String, String> values = new TreeMap<>();

    private ResultFile(String name) {
        this.name = name;
    }

    /** An empty result file for the benchmark {@code name}. */
    public static ResultFile create(String name) {
        return new ResultFile(name);
    }

    /** The figures of {@code name} from an earlier run, or empty when it did not run. */
    public static Optional<ResultFile> read(Path directory, String name) throws IOException {
        Path file = directory.resolve(name + ".properties");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        ResultFile result = new ResultFile(name);
        properties.forEach((key, value) -> result.values.put((String) key, (String) value));
        return Optional.of(result);
    }

    public static Path directory() {
        return Path.of(System.getProperty("bench.results", "target/bench-results")).toAbsolutePath();
    }

    public ResultFile put(String key, Object value) {
        values.put(key, value instanceof Double d ? format(d) : String.valueOf(value));
        return this;
    }

    /** Median, minimum, maximum, p99 and count of a series under {@code key.*}. */
    public ResultFile putStats(String key, List<Double> series) {
        put(key + ".median", Rounds.median(series));
        put(key + ".p99", Rounds.percentile(series, 99));
        put(key + ".min", series.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
        put(key + ".max", series.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
        put(key + ".n", series.size());
        return this;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public Optional<Double> number(String key) {
        return get(key).map(Double::parseDouble);
    }

    public Map<String, String> values() {
        return Map.copyOf(values);
    }

    /** Writes {@code <name>.properties} into the results directory and returns its path. */
    public Path write() throws IOException {
        Path directory = directory();
        Files.createDirectories(directory);
        Path file = directory.resolve(name + ".properties");
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> entry : values.entrySet()) {
                writer.write(entry.getKey() + "=" + entry.getValue().replace("\\", "\\\\").replace("\n", "\\n")
                        + "\n");
            }
        }
        return file;
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
