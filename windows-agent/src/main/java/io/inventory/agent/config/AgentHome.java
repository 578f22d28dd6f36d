package io.inventory.agent.config;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

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
        return archive().map(Path::getParent).orElse(Path.of("").toAbsolutePath());
    }

    /** The jar or exe the agent's classes are loaded from; empty when they are loose classes. */
    public static Optional<Path> archive() {
        CodeSource source = AgentHome.class.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            try {
                Path location = Path.of(source.getLocation().toURI()).toAbsolutePath();
                if (Files.isRegularFile(location)) {
                    return Optional.of(location);
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                // An unusual class loader location: no archive to point at.
            }
        }
        return Optional.empty();
    }
}
