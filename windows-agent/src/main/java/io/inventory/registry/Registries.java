package io.inventory.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the registry the agent reads: .reg exports when given, else the live one on Windows. */
public final class Registries {

    private static final Logger LOG = LoggerFactory.getLogger(Registries.class);

    private Registries() {
    }

    /**
     * A registry backed by the given .reg exports (applied in order, later files win) keeping the keys the
     * inventory collectors read; with no files, the live registry on Windows, or on any other OS a registry
     * whose reads fail with {@link RegistryUnavailableException}.
     *
     * @throws RegFileException when a file cannot be read or is malformed
     */
    public static Registry open(List<Path> regFiles) throws RegFileException {
        return open(regFiles, KeySelection.inventory());
    }

    /** As {@link #open(List)}, keeping the given selection of keys from .reg exports. */
    public static Registry open(List<Path> regFiles, KeySelection selection) throws RegFileException {
        if (!regFiles.isEmpty()) {
            return RegFileReader.read(regFiles, selection);
        }
        if (isWindows()) {
            LOG.debug("Reading the live Windows registry");
            return new WindowsRegistry();
        }
        String os = System.getProperty("os.name");
        return new UnavailableRegistry("this is " + os + ", not Windows, and no .reg export was given");
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
