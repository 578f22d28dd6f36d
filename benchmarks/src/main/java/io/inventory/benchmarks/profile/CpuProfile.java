package io.inventory.benchmarks.profile;

import io.inventory.benchmarks.measure.ResultFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JDK Flight Recorder CPU profile of one stretch of work (execution samples every 10 ms), saved as
 * {@code <name>.jfr} in the results directory and summarised into {@code <name>.profile.txt}: the methods most
 * often on top of the stack (self time) and the project's methods most often anywhere on it (total time).
 */
public final class CpuProfile implements AutoCloseable {

    private static final int TOP = 12;

    private final String name;
    private final Recording recording;

    private CpuProfile(String name, Recording recording) {
        this.name = name;
        this.recording = recording;
    }

    /** Starts sampling this JVM. */
    public static CpuProfile start(String name) {
        Recording recording = new Recording();
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        recording.start();
        return new CpuProfile(name, recording);
    }

    /** Stops sampling, then writes the recording and its summary. */
    @Override
    public void close() throws IOException {
        recording.stop();
        Path directory = ResultFile.directory();
        Files.createDirectories(directory);
        Path file = directory.resolve(name + ".jfr");
        recording.dump(file);
        recording.close();
        summarise(file, directory.resolve(name + ".profile.txt"));
    }

    /** Summarises the execution samples of any recording, such as one a child JVM wrote, into {@code summary}. */
    public static void summarise(Path recordingFile, Path summary) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> components = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recordingFile)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(method(frames.get(0)), 1, Integer::sum);
            components.merge(component(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String method = method(frame);
                if (method.startsWith("io.inventory.") && !method.startsWith("io.inventory.benchmarks.")
                        && !method.contains("$$Lambda") && !method.contains(".lambda$") && seen.add(method)) {
                    total.merge(method, 1, Integer::sum);
                }
            }
        }

        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%d execution samples (10 ms period)%n", samples));
        text.append("Where the samples were (package of the top frame):\n");
        appendTop(text, components, samples);
        text.append("Top frames (self):\n");
        appendTop(text, self, samples);
        text.append("Project methods on the stack (total):\n");
        appendTop(text, total, samples);
        Files.writeString(summary, text.toString(), StandardCharsets.UTF_8);
    }

    private static void appendTop(StringBuilder text, Map<String, Integer> counts, int samples) {
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(TOP)
                .forEach(entry -> text.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n",
                        100.0 * entry.getValue() / Math.max(1, samples), entry.getKey())));
    }

    /** The first two or three package segments: enough to tell the project, the SDK, the emulator, the JDK. */
    private static String component(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        String[] parts = type.split("\\.");
        int depth = type.startsWith("io.inventory.") || type.startsWith("software.amazon.") ? 3 : 2;
        return String.join(".", Arrays.copyOf(parts, Math.min(depth, parts.length - 1)));
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /** Summarises a recording: {@code <recording.jfr> <summary.txt>}. */
    public static void main(String[] args) throws IOException {
        summarise(Path.of(args[0]), Path.of(args[1]));
    }
}
