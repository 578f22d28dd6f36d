package io.inventory.lambda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the environment variables a function module may read, from its main sources.
 *
 * <p>The rule, strict on purpose: in {@code src/main/java}, every string literal spelled like an environment
 * variable (upper-case words joined by underscores, such as {@code "BUCKET_NAME"}) counts, however it is read
 * ({@code System.getenv("X")}, a settings record's {@code env.get("X")}, a constant passed along); in
 * {@code src/main/resources}, every {@code ${X}} or {@code ${X:-default}} substitution (logback reads those from
 * the environment) counts. A literal that only looks like a variable would have to be named in the test's
 * allow-list with its reason; none is needed today.
 */
final class EnvironmentVariableScan {

    private static final Pattern JAVA_LITERAL = Pattern.compile("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\"");
    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)(?::-[^}]*)?}");

    private EnvironmentVariableScan() {
    }

    static Set<String> variablesReadBy(Path moduleDir) throws IOException {
        Set<String> names = new TreeSet<>();
        collect(moduleDir.resolve("src/main/java"), ".java", JAVA_LITERAL, names);
        collect(moduleDir.resolve("src/main/resources"), ".xml", SUBSTITUTION, names);
        return names;
    }

    private static void collect(Path dir, String suffix, Pattern pattern, Set<String> names) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(suffix)).toList()) {
                Matcher matcher = pattern.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
        }
    }
}
