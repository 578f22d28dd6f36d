package io.inventory.agent.cli;

import io.inventory.agent.AgentVersion;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code inventory-agent version}: the agent's version and the Java runtime it runs on. */
@Command(name = "version", description = "Print the agent's version and the Java runtime.")
final class VersionCommand implements Callable<Integer> {

    @ParentCommand
    AgentCli cli;

    @Override
    public Integer call() {
        cli.environment().out().println("inventory-agent " + AgentVersion.current());
        cli.environment().out().println("java " + System.getProperty("java.version") + " ("
                + System.getProperty("java.vendor") + ", " + System.getProperty("os.arch") + ")");
        cli.environment().out().flush();
        return ExitCode.OK.code();
    }
}
