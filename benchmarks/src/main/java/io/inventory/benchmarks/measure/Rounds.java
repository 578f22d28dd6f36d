package io.inventory.benchmarks.measure;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a baseline and a subject alternately, round after round, so that both see the same machine load; the figure
 * is the ratio within each round, summarised by its median and its spread over the rounds.
 */
public final class Rounds {

    private final List<Double> baseline = new ArrayList<>();
    private final List<Double> subject = new ArrayList<>();

    /** One timed run, in milliseconds. */
    @FunctionalInterface
    public interface Run {
        double millis() throws Exception;
    }

    /** Runs {@code warmups} unrecorded rounds, then {@code rounds} recorded ones, the baseline first in each. */
    public static Rounds alternate(int warmups, int rounds, Run baselineRun, Run subjectRun) throws Exception {
        Rounds result = new Rounds();
        for (int i = 0; i < warmups + rounds; i++) {
            double base = baselineRun.millis();
            double measured = subjectRun.millis();
            if (i >= warmups) {
                result.baseline.add(base);
                result.subject.add(measured);
            }
        }
        return result;
    }

    public List<Double> baseline() {
        return List.copyOf(baseline);
    }

    public List<Double> subject() {
        return List.copyOf(subject);
    }

    /** Subject time over baseline time, per round. */
    public List<Double> ratios() {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < subject.size(); i++) {
            ratios.add(subject.get(i) / baseline.get(i));
        }
        return ratios;
    }

    /** Records the times and ratios under {@code prefix}. */
    public void record(ResultFile results, String prefix) {
        results.putStats(prefix + ".baseline_ms", baseline);
        results.putStats(prefix + ".subject_ms", subject);
        results.putStats(prefix + ".ratio", ratios());
        results.put(prefix + ".rounds", subject.size());
    }

    /** The median of the values; the mean of the middle two for an even count. */
    public static double median(List<Double> values) {
        return percentile(values, 50);
    }

    /** The nearest-rank percentile of the values. */
    public static double percentile(List<Double> values, double percent) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        if (percent == 50 && sorted.size() % 2 == 0) {
            return (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        }
        int rank = (int) Math.ceil(percent / 100 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
