package io.inventory.local;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line of {@link LocalPipeline#main}: options, start, print the endpoints, run until Ctrl-C. */
@Command(name = "local-pipeline", mixinStandardHelpOptions = true,
        description = "Runs the whole inventory pipeline on this machine: embedded SQS and S3, the gRPC proxy, "
                + "the gateway and writer in-process, and agents reading .reg exports. No Docker, no AWS account.")
final class LocalPipelineCommand implements Callable<Integer> {

    private static final Path SAMPLE = Path.of("samples", "workstation.reg");

    @Option(names = "--grpc-port", defaultValue = "50051",
            description = "Port of the gRPC proxy (default ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(names = "--sqs-port", defaultValue = "0",
            description = "Port of the embedded SQS endpoint; 0 (the default) takes any free one.")
    int sqsPort;

    @Option(names = "--registry-file", paramLabel = "FILE",
            description = "A .reg export of one host; several for several hosts (default samples/workstation.reg).")
    List<Path> registryFiles = new ArrayList<>();

    @Option(names = "--synthetic-hosts", defaultValue = "0", paramLabel = "N",
            description = "Also generate N made-up hosts (LAB-0001, ...) with --programs programs each.")
    int syntheticHosts;

    @Option(names = "--programs", defaultValue = "50",
            description = "Programs per synthetic host (default ${DEFAULT-VALUE}).")
    int programs;

    @Option(names = "--agents", defaultValue = "1", description = "Agents per host (default ${DEFAULT-VALUE}).")
    int agentsPerHost;

    @Option(names = "--bucket", defaultValue = "inventory-local",
            description = "Bucket name (default ${DEFAULT-VALUE}).")
    String bucket;

    @Option(names = "--key-prefix", defaultValue = "inventory/",
            description = "Writer key prefix (default ${DEFAULT-VALUE}).")
    String keyPrefix;

    @Option(names = "--commands-root", defaultValue = ".",
            description = "Folder that commands_file paths are resolved in (default the working folder).")
    Path commandsRoot;

    @Option(names = "--batch-size", defaultValue = "10", description = "Writer batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--batching-window", defaultValue = "1",
            description = "Writer batching window in seconds (default ${DEFAULT-VALUE}).")
    int batchingWindowSeconds;

    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Spec
    void spec(CommandLine.Model.CommandSpec value) {
        this.spec = value;
    }

    static int run(String[] args) {
        return run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    static int run(String[] args, PrintWriter out, PrintWriter err) {
        return new CommandLine(new LocalPipelineCommand()).setOut(out).setErr(err).execute(args);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        LocalPipeline.Builder builder = LocalPipeline.builder()
                .grpcPort(grpcPort)
                .sqsPort(sqsPort)
                .agentsPerHost(agentsPerHost)
                .bucket(bucket)
                .keyPrefix(keyPrefix)
                .commandsRoot(commandsRoot)
                .writerBatching(batchSize, Duration.ofSeconds(batchingWindowSeconds));

        List<Path> exports = registryFiles.isEmpty() && syntheticHosts == 0 ? List.of(SAMPLE) : registryFiles;
        for (Path export : exports) {
            if (!Files.isRegularFile(export)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--registry-file " + export
                        + ": no such file (run from the repository root, or pass the path of a .reg export)");
            }
            builder.host(List.of(export));
        }
        if (syntheticHosts > 0) {
            Path folder = Files.createTempDirectory("local-pipeline-hosts");
            for (int i = 1; i <= syntheticHosts; i++) {
                String name = String.format(Locale.ROOT, "LAB-%04d", i);
                Path file = new SyntheticExport(name, programs, "1.0").writeTo(folder.resolve(name + ".reg"));
                builder.host(List.of(file));
            }
            out.println("Synthetic exports in " + folder);
        }

        LocalPipeline started;
        try {
            started = builder.start();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            // A bad export or a port in use: one sentence that names the file or port, not a stack trace.
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }

        // Ctrl-C runs the hook, which stops every part in reverse order before the JVM exits.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.close();
            stopped.countDown();
        }, "local-pipeline-shutdown"));
        out.println(started.describe());
        out.flush();

        stopped.await();
        return 0;
    }
}
