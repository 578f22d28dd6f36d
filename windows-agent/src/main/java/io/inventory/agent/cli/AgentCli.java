package io.inventory.agent.cli;

import io.inventory.agent.AgentVersion;
import io.inventory.agent.config.AgentConfig;
import io.inventory.agent.config.AgentHome;
import io.inventory.agent.config.ConfigException;
import io.inventory.agent.config.ConfigKey;
import io.inventory.agent.logging.AgentLogging;
import io.inventory.registry.RegFileException;
import io.inventory.registry.Registries;
import io.inventory.registry.Registry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code inventory-agent} command line: {@code run} (standalone), {@code collect}, {@code poll}, {@code service}
 * and {@code version}. Bad arguments print the usage and exit with {@link ExitCode#USAGE}.
 */
@Command(name = "inventory-agent", mixinStandardHelpOptions = true, versionProvider = AgentCli.Version.class,
        description = "Collects this Windows host's inventory (OS facts and installed programs) from the registry.",
        subcommands = {RunCommand.class, CollectCommand.class, PollCommand.class, ServiceCommand.class,
                VersionCommand.class, CommandLine.HelpCommand.class})
public final class AgentCli implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentCli.class);

    @Spec
    CommandSpec spec;

    private final AgentEnvironment environment;

    public AgentCli(AgentEnvironment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(execute(AgentEnvironment.system(), args));
    }

    /** Runs the command line in this process and returns the exit code instead of exiting. */
    public static int execute(AgentEnvironment environment, String... args) {
        return commandLine(environment).execute(args);
    }

    static CommandLine commandLine(AgentEnvironment environment) {
        CommandLine commandLine = new CommandLine(new AgentCli(environment));
        commandLine.setOut(environment.out());
        commandLine.setErr(environment.err());
        commandLine.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println(e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, failed.getErr());
            failed.usage(failed.getErr());
            return ExitCode.USAGE.code();
        });
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            LOG.error("Unexpected failure in {}", line.getCommandName(), e);
            line.getErr().println("inventory-agent: internal error: " + e + " (details in the log)");
            return ExitCode.INTERNAL_ERROR.code();
        });
        Map<String, String> codes = new LinkedHashMap<>();
        for (ExitCode code : ExitCode.values()) {
            codes.put(Integer.toString(code.code()), code.description());
        }
        commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        return commandLine;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    AgentEnvironment environment() {
        return environment;
    }

    /** Resolves the configuration for a command: its flags, then the environment, then agent.properties. */
    AgentConfig config(CommonOptions common, Map<ConfigKey, String> flags) throws ConfigException {
        Map<ConfigKey, String> all = new LinkedHashMap<>(common.flags());
        all.putAll(flags);
        boolean explicit = common.config != null;
        Path file = explicit ? common.config : environment.home().resolve(AgentHome.PROPERTIES_FILE);
        return AgentConfig.load(all, environment.variables(), file, explicit, environment.home());
    }

    /** Points the logs at the configured folder and level. */
    void configureLogging(AgentConfig config) throws ConfigException {
        AgentLogging.configure(config.logDir(), config.logLevel());
    }

    /** The registry to read: the --registry-file exports if given, else the configured ones, else the live one. */
    Registry openRegistry(CommonOptions common, AgentConfig config) throws RegFileException {
        List<Path> files = common.registryFiles != null ? common.registryFiles : config.registryFiles();
        Registry registry = Registries.open(files);
        LOG.info("Reading {}", registry.describe());
        return registry;
    }

    int configError(ConfigException e) {
        environment.err().println("inventory-agent: configuration error: " + e.getMessage());
        LOG.error("Configuration error: {}", e.getMessage());
        return ExitCode.CONFIG_ERROR.code();
    }

    int registryFileError(RegFileException e) {
        environment.err().println("inventory-agent: registry file error: " + e.getMessage());
        LOG.error("Registry file error: {}", e.getMessage());
        return ExitCode.REGISTRY_FILE_INVALID.code();
    }

    /** Supplies {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"inventory-agent " + AgentVersion.current()};
        }
    }
}
