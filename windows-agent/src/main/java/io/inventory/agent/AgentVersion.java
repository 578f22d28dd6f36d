package io.inventory.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The agent's version, as the build stamped it into {@code version.properties}. */
public final class AgentVersion {

    private static final String UNKNOWN = "unknown";
    private static final String VERSION = load();

    private AgentVersion() {
    }

    public static String current() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = AgentVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", UNKNOWN);
            // Unfiltered resources (an IDE build) still hold the Maven placeholder.
            return version.startsWith("${") ? UNKNOWN : version;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }
}
