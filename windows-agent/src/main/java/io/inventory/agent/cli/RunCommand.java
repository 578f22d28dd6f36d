package io.inventory.agent.cli;

import io.inventory.agent.AgentVersion;
import io.inventory.agent.collect.RegistryTaskCollector;
import io.inventory.agent.config.AgentConfig;
import io.inventory.agent.config.ConfigException;
import io.inventory.agent.config.ConfigKey;
import io.inventory.agent.standalone.PayloadFile;
import io.inventory.agent.standalone.RunReport;
import io.inventory.agent.standalone.StandaloneRun;
import io.inventory.commands.CommandsFileException;
import io.inventory.commands.CommandsParser;
import io.inventory.commands.ParsedCommands;
import io.inventory.commands.RunIds;
import io.inventory.registry.RegFileException;
import io.inventory.registry.Registry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code inventory-agent run}: the standalone pipeline over a commands file, writing payload.json. */
@Command(name = "run", description = "Run every 'inventory' line of a commands file in this process and write this "
        + "host's newest inventory to the output file atomically. Ctrl+C stops dispatching; tasks already queued "
        + "still finish and are written.")
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @ParentCommand
    AgentCli cli;

    @Mixin
    CommonOptions common;

    @Option(names = "--commands", required = true, paramLabel = "FILE",
            description = "The commands file (UTF-8; one 'inventory [sections...]' per line, # comments).")
    Path commands;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "data/payload.json",
            description = "Where to write the inventory document (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--workers", paramLabel = "N", description = "Worker threads (env AGENT_WORKERS; default 2).")
    String workers;

    @Override
    public Integer call() throws InterruptedException {
        AgentConfig config;
        int workerCount;
        try {
            config = cli.config(common, workers == null ? Map.of() : Map.of(ConfigKey.WORKERS, workers));
            workerCount = config.integer(ConfigKey.WORKERS, 1, 64);
            cli.configureLogging(config);
        } catch (ConfigException e) {
            return cli.configError(e);
        }

        ParsedCommands parsed;
        try {
            parsed = new CommandsParser().parse(Files.readAllBytes(commands));
        } catch (NoSuchFileException e) {
            return commandsError("commands file " + commands + " does not exist");
        } catch (IOException e) {
            return commandsError("commands file " + commands + " cannot be read: " + e);
        } catch (CommandsFileException e) {
            return commandsError("commands file " + commands + ": " + e.getMessage());
        }

        Registry registry;
        try {
            registry = cli.openRegistry(common, config);
        } catch (RegFileException e) {
            return cli.registryFileError(e);
        }

        String runId = RunIds.newRunId(cli.environment().clock());
        StandaloneRun run = new StandaloneRun(
                new RegistryTaskCollector(registry, cli.environment().clock(), AgentVersion.current()),
                new PayloadFile(out), workerCount, cli.environment().clock(), AgentVersion.current());
        CountDownLatch reported = new CountDownLatch(1);
        Thread hook = new Thread(() -> drainOnShutdown(run, reported), "shutdown-drain");
        if (cli.environment().hooks()) {
            Runtime.getRuntime().addShutdownHook(hook);
        }

        try {
            RunReport report = run.execute(runId, parsed);
            report.summaryLines().forEach(cli.environment().out()::println);
            cli.environment().out().flush();
            return exitCode(report).code();
        } finally {
            reported.countDown();
            removeHook(hook);
        }
    }

    /** The summary's meaning for scripts; a failed write or task outranks rejected lines. */
    static ExitCode exitCode(RunReport report) {
        if (report.payloadError().isPresent()) {
            return ExitCode.OUTPUT_FAILED;
        }
        if (!report.allTasksSucceeded()) {
            return ExitCode.TASKS_FAILED;
        }
        if (!report.rejections().isEmpty()) {
            return ExitCode.REJECTED_LINES;
        }
        return ExitCode.OK;
    }

    private int commandsError(String message) {
        cli.environment().err().println("inventory-agent: " + message);
        LOG.error("{}", message);
        return ExitCode.COMMANDS_UNREADABLE.code();
    }

    /** On Ctrl+C the JVM runs this hook: stop dispatching, then hold the exit until the summary is out. */
    private static void drainOnShutdown(StandaloneRun run, CountDownLatch reported) {
        LOG.warn("Stop requested: finishing the tasks already queued before exiting");
        run.stop();
        try {
            reported.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void removeHook(Thread hook) {
        if (!cli.environment().hooks()) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down, which is how the hook got to run; nothing to remove.
        }
    }
}
