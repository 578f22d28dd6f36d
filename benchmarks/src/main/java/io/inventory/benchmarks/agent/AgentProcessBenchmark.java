package io.inventory.benchmarks.agent;

import io.inventory.benchmarks.measure.ResultFile;
import io.inventory.benchmarks.measure.Rounds;
import io.inventory.benchmarks.profile.CpuProfile;
import io.inventory.codec.ProtoJson;
import io.inventory.proto.InventoryDocument;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent as a whole process: {@code collect --registry-file} on the full-registry export against the same jar
 * printing its version (JVM start, class loading, picocli), alternating, a fresh JVM each time. Then the memory
 * check: {@code collect} on a 200 MB export with {@code -Xmx64m}.
 *
 * <p>Arguments: {@code <agent jar> <export.reg> <big export.reg> <rounds>}.
 */
public final class AgentProcessBenchmark {

    private AgentProcessBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path export = Path.of(args[1]);
        Path bigExport = Path.of(args[2]);
        int rounds = Integer.parseInt(args[3]);
        Path work = Files.createDirectories(ResultFile.directory().resolve("agent"));
        ResultFile results = ResultFile.create("agent");
        results.put("export.bytes", Files.size(export));

        List<Long> versionRss = new ArrayList<>();
        List<Long> collectRss = new ArrayList<>();
        Path versionOut = work.resolve("version.out");
        Path collectOut = work.resolve("collect.out");
        Rounds timed = Rounds.alternate(1, rounds,
                () -> checked(run(jar, List.of(), List.of("version"), versionOut), versionRss).millis(),
                () -> checked(run(jar, List.of(), collect(export, work), collectOut), collectRss).millis());
        timed.record(results, "collect");
        results.put("collect.programs", programs(collectOut));
        results.put("collect.peak_rss_kb", collectRss.get(collectRss.size() - 1));
        results.put("version.peak_rss_kb", versionRss.get(versionRss.size() - 1));

        // How much of the difference is class loading: the classes each command loads, and the same comparison
        // with an application class-data sharing archive of the collect command's classes.
        results.put("version.classes", loadedClasses(jar, List.of("version"), work.resolve("version-classes.out")));
        results.put("collect.classes", loadedClasses(jar, collect(export, work),
                work.resolve("collect-classes.out")));
        Path archive = work.resolve("collect.jsa");
        Files.deleteIfExists(archive);
        run(jar, List.of("-XX:ArchiveClassesAtExit=" + archive), collect(export, work), work.resolve("cds.out"));
        if (Files.isRegularFile(archive)) {
            List<String> cds = List.of("-XX:SharedArchiveFile=" + archive);
            Rounds shared = Rounds.alternate(1, Math.max(1, rounds / 2),
                    () -> checked(run(jar, cds, List.of("version"), versionOut), versionRss).millis(),
                    () -> checked(run(jar, cds, collect(export, work), collectOut), collectRss).millis());
            shared.record(results, "collect_cds");
        }

        Path recording = work.resolve("collect.jfr");
        run(jar, List.of("-XX:StartFlightRecording=filename=" + recording + ",settings=profile"),
                collect(export, work), work.resolve("collect-profiled.out"));
        CpuProfile.summarise(recording, ResultFile.directory().resolve("agent-collect.profile.txt"));

        ProcessRun big = run(jar, List.of("-Xmx64m"), collect(bigExport, work), work.resolve("big.out"));
        results.put("big.bytes", Files.size(bigExport));
        results.put("big.exit", big.exitCode());
        results.put("big.millis", big.millis());
        results.put("big.peak_rss_kb", big.peakRssKb());
        results.put("big.programs", big.exitCode() == 0 ? programs(big.stdout()) : -1);
        results.write();
    }

    private static List<String> collect(Path export, Path work) {
        return List.of("collect", "--registry-file", export.toString(), "--log-dir", work.resolve("logs").toString());
    }

    private static ProcessRun run(Path jar, List<String> jvmOptions, List<String> arguments, Path stdout)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(arguments);
        return ProcessRun.run(command, stdout);
    }

    private static ProcessRun checked(ProcessRun run, List<Long> rss) throws Exception {
        if (run.exitCode() != 0) {
            throw new IllegalStateException("the agent exited with " + run.exitCode() + ": "
                    + Files.readString(Path.of(run.stdout() + ".err"), StandardCharsets.UTF_8));
        }
        rss.add(run.peakRssKb());
        return run;
    }

    /** The number of classes the JVM loaded running the command, from its class-loading log. */
    private static long loadedClasses(Path jar, List<String> arguments, Path stdout) throws Exception {
        Path log = Path.of(stdout + ".classes");
        checked(run(jar, List.of("-Xlog:class+load=info:file=" + log), arguments, stdout), new ArrayList<>());
        try (var lines = Files.lines(log)) {
            return lines.filter(line -> line.contains("source:")).count();
        }
    }

    private static int programs(Path stdout) throws Exception {
        String json = Files.readString(stdout, StandardCharsets.UTF_8);
        return ProtoJson.<InventoryDocument>parse(json, InventoryDocument.newBuilder()).getProgramsCount();
    }
}
