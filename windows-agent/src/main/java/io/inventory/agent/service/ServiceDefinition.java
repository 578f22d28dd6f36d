package io.inventory.agent.service;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@code service install} registers: the service name, and the command the Service Control Manager runs. The
 * command starts {@code java.exe} itself rather than the launch4j exe, because the exe starts Java as a child
 * process, and only the process the SCM started may connect to it with StartServiceCtrlDispatcher. {@code -Xrs}
 * keeps the JVM from exiting on the console events of a user logging off; the SCM's shutdown control stops it.
 *
 * @param javaExecutable the 64-bit {@code java.exe} to run, normally the one running the installer
 * @param jar            the agent jar (or the exe, which is also a valid jar)
 */
public record ServiceDefinition(String name, Path javaExecutable, Path jar) {

    public static final String DEFAULT_NAME = "inventory-agent";
    public static final String DISPLAY_NAME = "Inventory agent";
    public static final String DESCRIPTION = "Collects this host's Windows inventory (OS and installed programs) "
            + "for tasks from the inventory task queue.";

    static final String MAIN_CLASS = "io.inventory.agent.cli.AgentCli";

    /** The service's command line, each part quoted as CreateService expects when it holds spaces. */
    public String commandLine() {
        return List.of(javaExecutable.toString(), "-Xrs", "-Xmx512m", "-cp", jar.toString(), MAIN_CLASS,
                        "service", "run", "--name", name).stream()
                .map(ServiceDefinition::quote)
                .collect(Collectors.joining(" "));
    }

    private static String quote(String part) {
        return part.contains(" ") || part.contains("\t") ? "\"" + part + "\"" : part;
    }
}
