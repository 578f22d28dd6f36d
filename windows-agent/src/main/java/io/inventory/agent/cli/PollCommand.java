package io.inventory.agent.cli;

import io.inventory.agent.AgentVersion;
import io.inventory.agent.collect.RegistryTaskCollector;
import io.inventory.agent.config.AgentConfig;
import io.inventory.agent.config.ConfigException;
import io.inventory.agent.poll.PollAgent;
import io.inventory.registry.RegFileException;
import io.inventory.registry.Registry;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code inventory-agent poll}: take tasks from the task queue until stopped (Ctrl+C, SIGTERM). */
@Command(name = "poll", description = "Long-poll the task queue, collect each task and send its result to the result "
        + "queue, until stopped with Ctrl+C or SIGTERM. A stop finishes collections in progress within "
        + "--stop-timeout and makes the rest visible on the queue again at once.")
final class PollCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(PollCommand.class);

    @ParentCommand
    AgentCli cli;

    @Mixin
    CommonOptions common;

    @Mixin
    PollOptions poll;

    @Override
    public Integer call() throws InterruptedException {
        AgentConfig config;
        try {
            config = cli.config(common, poll.flags());
            cli.configureLogging(config);
        } catch (ConfigException e) {
            return cli.configError(e);
        }

        Registry registry;
        try {
            registry = cli.openRegistry(common, config);
        } catch (RegFileException e) {
            return cli.registryFileError(e);
        }

        PollAgent agent;
        try {
            agent = PollAgent.start(config, new RegistryTaskCollector(registry, cli.environment().clock(),
                    AgentVersion.current()), cli.environment().variables(), cli.environment().clock(),
                    AgentVersion.current());
        } catch (ConfigException e) {
            return cli.configError(e);
        }

        if (cli.environment().hooks()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopOnShutdown(agent), "shutdown-stop"));
        }
        agent.awaitStopped();
        return ExitCode.OK.code();
    }

    private static void stopOnShutdown(PollAgent agent) {
        LOG.info("Stop requested (signal)");
        try {
            agent.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
