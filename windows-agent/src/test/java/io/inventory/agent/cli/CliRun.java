package io.inventory.agent.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** Runs the agent's command line in this JVM with captured output, as a shell would run the exe. */
final class CliRun {

    final int exitCode;
    final String out;
    final String err;

    private CliRun(int exitCode, String out, String err) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    static CliRun run(Path home, Map<String, String> variables, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AgentEnvironment environment = new AgentEnvironment(variables, home, new PrintWriter(out, true),
                new PrintWriter(err, true), Clock.systemUTC(), false);
        List<String> all = new ArrayList<>(List.of(args));
        int code = AgentCli.execute(environment, all.toArray(String[]::new));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Puts the test logging configuration back after a command replaced it with the agent's own. */
    static void restoreTestLogging() throws JoranException {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig();
    }
}
