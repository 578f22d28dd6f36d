package io.inventory.benchmarks.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One child process, timed from start to exit, with its peak resident set size when {@code /usr/bin/time} is
 * there to measure it.
 *
 * @param millis    wall time from start to exit
 * @param exitCode  the process's exit code
 * @param peakRssKb peak resident set size in KiB, or -1 when unknown
 * @param stdout    the file standard output went to
 */
public record ProcessRun(double millis, int exitCode, long peakRssKb, Path stdout) {

    private static final Path TIME = Path.of("/usr/bin/time");

    /** Runs {@code command}, standard output to {@code stdout}, standard error to {@code stdout + ".err"}. */
    public static ProcessRun run(List<String> command, Path stdout) throws IOException, InterruptedException {
        Path rssFile = Files.createTempFile("rss", ".txt");
        List<String> full = new ArrayList<>();
        boolean measured = Files.isExecutable(TIME);
        if (measured) {
            full.addAll(List.of(TIME.toString(), "-f", "%M", "-o", rssFile.toString()));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full)
                .redirectOutput(stdout.toFile())
                .redirectError(Path.of(stdout + ".err").toFile());

        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("still running after 30 minutes: " + command);
        }
        double millis = (System.nanoTime() - start) / 1e6;

        long rss = -1;
        if (measured) {
            List<String> lines = Files.readAllLines(rssFile, StandardCharsets.UTF_8);
            String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
            rss = last.matches("\\d+") ? Long.parseLong(last) : -1;
        }
        Files.deleteIfExists(rssFile);
        return new ProcessRun(millis, process.exitValue(), rss, stdout);
    }
}
