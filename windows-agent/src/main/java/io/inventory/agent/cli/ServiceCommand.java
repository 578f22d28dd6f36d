package io.inventory.agent.cli;

import io.inventory.agent.AgentVersion;
import io.inventory.agent.collect.RegistryTaskCollector;
import io.inventory.agent.config.AgentConfig;
import io.inventory.agent.config.AgentHome;
import io.inventory.agent.config.ConfigException;
import io.inventory.agent.poll.PollAgent;
import io.inventory.agent.service.ServiceDefinition;
import io.inventory.agent.service.ServiceException;
import io.inventory.agent.service.ServiceInstaller;
import io.inventory.agent.service.WindowsService;
import io.inventory.registry.RegFileException;
import io.inventory.registry.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code inventory-agent service install|uninstall|run}: the agent as a Windows service, without a wrapper. */
@Command(name = "service", description = "Install, uninstall or run the agent as a Windows service (poll mode, "
        + "automatic start at boot as LocalSystem). Needs an administrator console for install and uninstall.",
        subcommands = {ServiceCommand.Install.class, ServiceCommand.Uninstall.class, ServiceCommand.Run.class})
final class ServiceCommand implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceCommand.class);

    @ParentCommand
    AgentCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "a service command is required: install, uninstall or run");
    }

    static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    static Integer notWindows(AgentCli cli) {
        cli.environment().err().println("inventory-agent: service commands need Windows; this is "
                + System.getProperty("os.name") + ". Use 'poll' to run the agent in the foreground.");
        return ExitCode.SERVICE_FAILED.code();
    }

    static Integer failed(AgentCli cli, ServiceException e) {
        cli.environment().err().println("inventory-agent: " + e.getMessage());
        LOG.error("{}", e.getMessage());
        return ExitCode.SERVICE_FAILED.code();
    }

    /** The service definition for this installation: this JVM's java.exe and the jar beside the exe. */
    static ServiceDefinition definition(String name, Path home) {
        Path java = Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java");
        Path jar = home.resolve("inventory-agent.jar");
        if (!Files.isRegularFile(jar)) {
            jar = AgentHome.archive().orElse(jar);
        }
        return new ServiceDefinition(name, java, jar);
    }

    @Command(name = "install", description = "Register the service: automatic start, LocalSystem, restart on "
            + "failure. It reads agent.properties beside the jar. Start it with 'sc.exe start <name>'.")
    static final class Install implements Callable<Integer> {

        @ParentCommand
        ServiceCommand service;

        @Option(names = "--name", defaultValue = ServiceDefinition.DEFAULT_NAME,
                description = "Service name (default: ${DEFAULT-VALUE}).")
        String name;

        @Override
        public Integer call() {
            AgentCli cli = service.cli;
            ServiceDefinition definition = definition(name, cli.environment().home());
            if (!isWindows()) {
                return notWindows(cli);
            }
            try {
                ServiceInstaller.install(definition);
            } catch (ServiceException e) {
                return failed(cli, e);
            }
            cli.environment().out().println("Installed service " + name + ": " + definition.commandLine());
            cli.environment().out().println("Start it now with: sc.exe start " + name);
            cli.environment().out().flush();
            return ExitCode.OK.code();
        }
    }

    @Command(name = "uninstall", description = "Stop the service if it runs, and remove it.")
    static final class Uninstall implements Callable<Integer> {

        @ParentCommand
        ServiceCommand service;

        @Option(names = "--name", defaultValue = ServiceDefinition.DEFAULT_NAME,
                description = "Service name (default: ${DEFAULT-VALUE}).")
        String name;

        @Override
        public Integer call() {
            AgentCli cli = service.cli;
            if (!isWindows()) {
                return notWindows(cli);
            }
            try {
                ServiceInstaller.uninstall(name);
            } catch (ServiceException e) {
                return failed(cli, e);
            }
            cli.environment().out().println("Uninstalled service " + name);
            cli.environment().out().flush();
            return ExitCode.OK.code();
        }
    }

    @Command(name = "run", description = "Run as the service; only the Service Control Manager starts this.")
    static final class Run implements Callable<Integer> {

        @ParentCommand
        ServiceCommand service;

        @Mixin
        CommonOptions common;

        @Option(names = "--name", defaultValue = ServiceDefinition.DEFAULT_NAME,
                description = "Service name (default: ${DEFAULT-VALUE}).")
        String name;

        @Override
        public Integer call() {
            AgentCli cli = service.cli;
            if (!isWindows()) {
                return notWindows(cli);
            }
            AgentConfig config;
            Registry registry;
            try {
                config = cli.config(common, Map.of());
                cli.configureLogging(config);
                registry = cli.openRegistry(common, config);
            } catch (ConfigException e) {
                return cli.configError(e);
            } catch (RegFileException e) {
                return cli.registryFileError(e);
            }

            PollBody body = new PollBody(cli, config, registry);
            try {
                return new WindowsService(name, body).run();
            } catch (ServiceException e) {
                return failed(cli, e);
            }
        }
    }

    /** Poll mode as the service's work. */
    private static final class PollBody implements WindowsService.ServiceBody {

        private final AgentCli cli;
        private final AgentConfig config;
        private final Registry registry;
        private volatile PollAgent agent;

        PollBody(AgentCli cli, AgentConfig config, Registry registry) {
            this.cli = cli;
            this.config = config;
            this.registry = registry;
        }

        @Override
        public int start() {
            try {
                agent = PollAgent.start(config, new RegistryTaskCollector(registry, cli.environment().clock(),
                        AgentVersion.current()), cli.environment().variables(), cli.environment().clock(),
                        AgentVersion.current());
                return 0;
            } catch (ConfigException e) {
                LOG.error("Configuration error, the service stops: {}", e.getMessage());
                return ExitCode.CONFIG_ERROR.code();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCode.INTERNAL_ERROR.code();
            }
        }

        @Override
        public Duration stopBound() {
            return agent == null ? Duration.ofSeconds(5) : agent.stopBound();
        }

        @Override
        public void stop() throws InterruptedException {
            if (agent != null) {
                agent.stop();
            }
        }
    }
}
