package io.inventory.agent.cli;

import io.inventory.agent.config.ConfigKey;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every working command shares: where the configuration, the logs and the registry come from. */
public final class CommonOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file to read (default: agent.properties beside the exe or jar, if present).")
    Path config;

    @Option(names = "--log-dir", paramLabel = "DIR",
            description = "Folder for the rotating log file (env LOG_DIR; default: logs beside the exe or jar).")
    String logDir;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "ERROR, WARN, INFO, DEBUG or TRACE (env LOG_LEVEL; default INFO).")
    String logLevel;

    @Option(names = "--registry-file", paramLabel = "FILE.reg",
            description = "Read this .reg export instead of the live registry; repeatable, later files win "
                    + "(env REGISTRY_FILES, comma-separated).")
    List<Path> registryFiles;

    /** The flags given, keyed by setting; absent flags are left out so lower sources apply. */
    Map<ConfigKey, String> flags() {
        Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
        if (logDir != null) {
            flags.put(ConfigKey.LOG_DIR, logDir);
        }
        if (logLevel != null) {
            flags.put(ConfigKey.LOG_LEVEL, logLevel);
        }
        return flags;
    }
}
