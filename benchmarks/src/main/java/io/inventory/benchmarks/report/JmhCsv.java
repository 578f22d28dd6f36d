package io.inventory.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The rows of a JMH result file written with {@code -rf csv}: one score per benchmark method and parameter. */
final class JmhCsv {

    /** One benchmark's score and its 99.9 % confidence half-width, in {@code unit}. */
    record Score(String benchmark, String parameter, double score, double error, String unit, int samples) {
    }

    private final List<Score> scores;

    private JmhCsv(List<Score> scores) {
        this.scores = scores;
    }

    static JmhCsv read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return new JmhCsv(List.of());
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Score> scores = new ArrayList<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            List<String> cells = cells(line);
            if (cells.size() < 7) {
                continue;
            }
            // One column per parameter name across all benchmarks; a benchmark fills only its own.
            String parameter = String.join(",", cells.subList(Math.min(7, cells.size()), cells.size()).stream()
                    .filter(cell -> !cell.isEmpty()).toList());
            double error = cells.get(5).isEmpty() || cells.get(5).equals("NaN") ? Double.NaN
                    : Double.parseDouble(cells.get(5));
            scores.add(new Score(cells.get(0), parameter, Double.parseDouble(cells.get(4)), error, cells.get(6),
                    Integer.parseInt(cells.get(3))));
        }
        return new JmhCsv(scores);
    }

    /** The score of the benchmark whose name ends with {@code method}, for the given parameter value. */
    Optional<Score> find(String method, String parameter) {
        return scores.stream()
                .filter(score -> score.benchmark().endsWith("." + method) && score.parameter().equals(parameter))
                .findFirst();
    }

    /** Splits one CSV line; JMH quotes every text cell and escapes nothing inside them. */
    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
