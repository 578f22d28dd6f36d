package io.inventory.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A deployment zip unpacked for inspection, with a class loader over exactly its contents (root and lib/*.jar)
 * and nothing of the test class path: what the handler class implements is read from the zip's own jars.
 */
final class DeploymentZip implements AutoCloseable {

    private final Path dir;
    private final URLClassLoader classLoader;

    private DeploymentZip(Path dir, URLClassLoader classLoader) {
        this.dir = dir;
        this.classLoader = classLoader;
    }

    static DeploymentZip open(Path zip) throws IOException {
        Path dir = Files.createTempDirectory("deployment-zip-");
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException(zip + ": entry " + entry.getName() + " escapes the zip");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
        }

        List<URL> urls = new ArrayList<>();
        urls.add(dir.toUri().toURL());
        for (Path jar : jars(dir.resolve("lib"))) {
            urls.add(jar.toUri().toURL());
        }
        ClassLoader parent = ClassLoader.getPlatformClassLoader();
        return new DeploymentZip(dir, new URLClassLoader(urls.toArray(URL[]::new), parent));
    }

    /** Loads a class without initialising it: no static initialiser (SDK clients, settings) runs. */
    Class<?> loadClass(String name) throws ClassNotFoundException {
        return Class.forName(name, false, classLoader);
    }

    /** File names under lib/. */
    List<String> libraries() {
        return jars(dir.resolve("lib")).stream().map(jar -> jar.getFileName().toString()).toList();
    }

    boolean contains(String entry) {
        return Files.exists(dir.resolve(entry));
    }

    private static List<Path> jars(Path lib) {
        if (!Files.isDirectory(lib)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(lib)) {
            return files.filter(file -> file.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        classLoader.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
