package io.inventory.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import io.inventory.agent.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Sets up the agent's logging in code, so the log folder and level come from the agent's own configuration:
 * a rotating file under the log folder, and the console (standard error, which keeps standard output free for the
 * JSON that {@code collect} prints and the summary that {@code run} prints).
 */
public final class AgentLogging {

    public static final String LOG_FILE = "inventory-agent.log";

    private static final String PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{30} - %msg%n";

    private AgentLogging() {
    }

    /**
     * Replaces the logging configuration.
     *
     * @param logDir the folder for the rotating log file; created when missing
     * @param level  a logback level name such as {@code INFO}
     * @throws ConfigException when the folder cannot be created or written
     */
    public static void configure(Path logDir, String level) throws ConfigException {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new ConfigException("log folder " + logDir + " cannot be created: " + e, e);
        }
        if (!Files.isWritable(logDir)) {
            throw new ConfigException("log folder " + logDir + " is not writable");
        }

        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder(context));
        console.start();

        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("file");
        file.setFile(logDir.resolve(LOG_FILE).toString());
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(file);
        policy.setFileNamePattern(logDir.resolve("inventory-agent.%d{yyyy-MM-dd}.%i.log.gz").toString());
        policy.setMaxFileSize(FileSize.valueOf("10MB"));
        policy.setMaxHistory(14);
        policy.setTotalSizeCap(FileSize.valueOf("200MB"));
        policy.start();
        file.setRollingPolicy(policy);
        file.setEncoder(encoder(context));
        file.start();

        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.INFO));
        root.addAppender(console);
        root.addAppender(file);

        // The SDK and gRPC log wire-level detail at DEBUG; an agent operator asking for DEBUG wants ours.
        context.getLogger("software.amazon.awssdk").setLevel(Level.WARN);
        context.getLogger("io.grpc").setLevel(Level.WARN);
        context.getLogger("io.netty").setLevel(Level.WARN);
    }

    private static PatternLayoutEncoder encoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }
}
