package io.inventory.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** A deployment zip built in a test, laid out as lambda-zip.xml lays out the real ones: classes at the root, lib/. */
final class FixtureZip {

    private final List<Class<?>> classes = new ArrayList<>();
    private final List<Class<?>> libraries = new ArrayList<>();

    /** Puts these compiled classes (and their nested classes) at the zip's root. */
    FixtureZip classes(Class<?>... types) {
        classes.addAll(List.of(types));
        return this;
    }

    /** Puts the jar that holds each of these classes under lib/. */
    FixtureZip librariesOf(Class<?>... types) {
        libraries.addAll(List.of(types));
        return this;
    }

    Path writeTo(Path zip) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Class<?> type : classes) {
                String entry = type.getName().replace('.', '/') + ".class";
                try (InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
                    if (in == null) {
                        throw new IOException("no class file for " + type.getName());
                    }
                    write(out, entry, in);
                }
            }
            for (Class<?> type : libraries) {
                Path jar = jarOf(type);
                try (InputStream in = Files.newInputStream(jar)) {
                    write(out, "lib/" + jar.getFileName(), in);
                }
            }
        }
        return zip;
    }

    private static void write(ZipOutputStream out, String name, InputStream in) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        in.transferTo(out);
        out.closeEntry();
    }

    private static Path jarOf(Class<?> type) throws IOException {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the jar of " + type.getName(), e);
        }
    }
}
