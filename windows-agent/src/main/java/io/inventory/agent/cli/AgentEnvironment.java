package io.inventory.agent.cli;

import io.inventory.agent.config.AgentHome;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What the CLI takes from its process: environment variables, the installation folder, the console streams and
 * the clock. Tests pass their own, so a command runs in-process exactly as it does from a shell.
 *
 * @param hooks whether to install JVM shutdown hooks for Ctrl+C; a test drives stops itself
 */
public record AgentEnvironment(Map<String, String> variables, Path home, PrintWriter out, PrintWriter err,
                               Clock clock, boolean hooks) {

    public AgentEnvironment {
        variables = Map.copyOf(variables);
    }

    /**
     * The real process: System.getenv, the jar's folder, System.out and System.err. Output is UTF-8 unless it is an
     * interactive console, so JSON redirected to a file keeps non-ASCII program names intact.
     */
    public static AgentEnvironment system() {
        Charset charset = System.console() != null ? System.console().charset() : StandardCharsets.UTF_8;
        return new AgentEnvironment(System.getenv(), AgentHome.locate(),
                new PrintWriter(new OutputStreamWriter(System.out, charset), true),
                new PrintWriter(new OutputStreamWriter(System.err, charset), true),
                Clock.systemUTC(), true);
    }
}
