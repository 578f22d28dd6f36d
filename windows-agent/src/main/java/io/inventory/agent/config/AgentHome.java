package io.inventory.agent.config;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * The folder the agent is installed in: the one holding the exe or the jar, where {@code agent.properties} and the
 * default {@code logs} folder live. A Windows service starts in System32, so the working directory is no guide.
 */
public final class AgentHome {

    public static final String PROPERTIES_FILE = "agent.properties";

    private AgentHome() {
    }

    /** The folder of the running jar or exe; the working directory when running from classes (tests, IDE). */
    public static Path locate() {
        CodeSource source = AgentHome.class.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            try {
                Path location = Path.of(source.getLocation().toURI());
                if (Files.isRegularFile(location)) {
                    return location.toAbsolutePath().getParent();
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                // An unusual class loader location; the working directory is the only sensible fallback.
            }
        }
        return Path.of("").toAbsolutePath();
    }
}
