package io.inventory.registry;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Paths of the .reg fixtures under src/test/resources/registry. */
public final class Fixtures {

    private Fixtures() {
    }

    /** The fixture at {@code registry/<relative>}. */
    public static Path path(String relative) {
        URL url = Fixtures.class.getResource("/registry/" + relative);
        if (url == null) {
            throw new IllegalArgumentException("no fixture registry/" + relative);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every export of one fixture set ({@code workstation}, {@code rules}), sorted by name. */
    public static List<Path> set(String directory) {
        Path dir = path(directory);
        String[] names = dir.toFile().list((parent, name) -> name.endsWith(".reg"));
        return Arrays.stream(names).sorted().map(dir::resolve).toList();
    }
}
