package io.inventory.lambda;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's files are: Maven passes the root; from an IDE it is found by walking up to template.yaml. */
final class Repository {

    private Repository() {
    }

    static Path root() {
        String configured = System.getProperty("inventory.repository.root");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root (the folder with template.yaml)");
    }

    static Path file(String relativePath) {
        return root().resolve(relativePath);
    }
}
