package io.inventory.agent.config;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The agent's settings, resolved with the precedence flag, then environment variable, then {@code agent.properties},
 * then the built-in default (see {@link ConfigKey}). Every typed read validates its value and names the setting and
 * its source when it is wrong, so a bad configuration stops the agent with one clear sentence.
 */
public final class AgentConfig {

    private static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    private final Map<ConfigKey, String> flags;
    private final Map<String, String> environment;
    private final Map<ConfigKey, String> properties;
    private final Path propertiesFile;
    private final Path home;

    private AgentConfig(Map<ConfigKey, String> flags, Map<String, String> environment,
                        Map<ConfigKey, String> properties, Path propertiesFile, Path home) {
        this.flags = flags;
        this.environment = environment;
        this.properties = properties;
        this.propertiesFile = propertiesFile;
        this.home = home;
    }

    /**
     * Resolves settings from the given flags (null values are flags not given), the environment and a properties
     * file.
     *
     * @param propertiesFile the file to read; when {@code required} is false a missing file is simply skipped
     * @param home           the agent's installation folder, for defaults such as the log folder
     * @throws ConfigException when the properties file cannot be read or holds an unknown key
     */
    public static AgentConfig load(Map<ConfigKey, String> flags, Map<String, String> environment,
                                   Path propertiesFile, boolean required, Path home) throws ConfigException {
        Map<ConfigKey, String> given = new EnumMap<>(ConfigKey.class);
        flags.forEach((key, value) -> {
            if (value != null) {
                given.put(key, value);
            }
        });
        Map<ConfigKey, String> fromFile = readProperties(propertiesFile, required);
        return new AgentConfig(given, Map.copyOf(environment), fromFile, propertiesFile, home);
    }

    /** Settings from flags and the environment only, for tests and callers without a properties file. */
    public static AgentConfig of(Map<ConfigKey, String> flags, Map<String, String> environment, Path home) {
        Map<ConfigKey, String> given = new EnumMap<>(ConfigKey.class);
        flags.forEach((key, value) -> {
            if (value != null) {
                given.put(key, value);
            }
        });
        return new AgentConfig(given, Map.copyOf(environment), Map.of(), null, home);
    }

    /** The raw value and where it came from, or empty when the setting is unset and has no default. */
    public Optional<Value> value(ConfigKey key) {
        String flag = flags.get(key);
        if (flag != null) {
            return Optional.of(new Value(key, flag.strip(), "flag for " + key.property()));
        }
        String env = environment.get(key.environmentVariable());
        if (env != null && !env.isBlank()) {
            return Optional.of(new Value(key, env.strip(), "environment variable " + key.environmentVariable()));
        }
        String property = properties.get(key);
        if (property != null && !property.isBlank()) {
            return Optional.of(new Value(key, property.strip(), key.property() + " in " + propertiesFile));
        }
        if (key.defaultValue() != null) {
            return Optional.of(new Value(key, key.defaultValue(), "default of " + key.property()));
        }
        return Optional.empty();
    }

    public Optional<String> text(ConfigKey key) {
        return value(key).map(Value::text);
    }

    /** An integer setting within [min, max]. */
    public int integer(ConfigKey key, int min, int max) throws ConfigException {
        Value value = value(key).orElseThrow(() -> missing(key));
        int parsed;
        try {
            parsed = Integer.parseInt(value.text());
        } catch (NumberFormatException e) {
            throw new ConfigException(value.source() + ": '" + value.text() + "' is not a whole number");
        }
        if (parsed < min || parsed > max) {
            throw new ConfigException(value.source() + ": " + parsed + " is outside " + min + " to " + max);
        }
        return parsed;
    }

    /** An http or https URL setting, when set. */
    public Optional<URI> url(ConfigKey key) throws ConfigException {
        Optional<Value> value = value(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value.get().text());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new ConfigException(value.get().source() + ": '" + value.get().text()
                        + "' is not an http(s) URL such as https://sqs.eu-west-1.amazonaws.com/123456789012/name");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw new ConfigException(value.get().source() + ": '" + value.get().text() + "' is not a URL: "
                    + e.getReason());
        }
    }

    /** An SQS queue name as SQS accepts it: letters, digits, dash and underscore, optionally ending in .fifo. */
    public String queueName(ConfigKey key) throws ConfigException {
        Value value = value(key).orElseThrow(() -> missing(key));
        if (!value.text().matches("[A-Za-z0-9_-]{1,75}(\\.fifo)?")) {
            throw new ConfigException(value.source() + ": '" + value.text()
                    + "' is not a queue name (1 to 80 letters, digits, '-' or '_')");
        }
        return value.text();
    }

    /** The logback level name, upper case. */
    public String logLevel() throws ConfigException {
        Value value = value(ConfigKey.LOG_LEVEL).orElseThrow(() -> missing(ConfigKey.LOG_LEVEL));
        String level = value.text().toUpperCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            throw new ConfigException(value.source() + ": '" + value.text() + "' is not a log level; use one of "
                    + Stream.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE", "OFF").collect(Collectors.joining(", ")));
        }
        return level;
    }

    /** The folder for log files: as configured, else {@code logs} in the agent's installation folder. */
    public Path logDir() {
        return text(ConfigKey.LOG_DIR).map(Path::of).orElse(home.resolve("logs"));
    }

    /** The .reg exports to read instead of the live registry; comma-separated in the environment and file. */
    public List<Path> registryFiles() {
        List<Path> files = new ArrayList<>();
        text(ConfigKey.REGISTRY_FILES).ifPresent(list -> {
            for (String part : list.split(",")) {
                if (!part.isBlank()) {
                    files.add(Path.of(part.strip()));
                }
            }
        });
        return files;
    }

    private static ConfigException missing(ConfigKey key) {
        return new ConfigException(key.property() + " is not set (flag, environment variable "
                + key.environmentVariable() + " or " + AgentHome.PROPERTIES_FILE + ")");
    }

    private static Map<ConfigKey, String> readProperties(Path file, boolean required) throws ConfigException {
        if (file == null) {
            return Map.of();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (NoSuchFileException e) {
            if (required) {
                throw new ConfigException(file + ": no such file");
            }
            return Map.of();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage(), e);
        }

        Properties loaded = new Properties();
        try {
            loaded.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(file + ": not a properties file: " + e.getMessage(), e);
        }

        Map<ConfigKey, String> values = new HashMap<>();
        for (String name : loaded.stringPropertyNames()) {
            ConfigKey key = ConfigKey.fromProperty(name);
            if (key == null) {
                throw new ConfigException(file + ":" + lineOf(text, name) + ": unknown setting '" + name
                        + "'; known settings: " + Stream.of(ConfigKey.values()).map(ConfigKey::property)
                        .collect(Collectors.joining(", ")));
            }
            values.put(key, loaded.getProperty(name));
        }
        return values;
    }

    /** The 1-based line where a key is defined, found by a plain scan since Properties keeps no positions. */
    private static int lineOf(String text, String key) {
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].stripLeading();
            if (line.startsWith(key)) {
                String rest = line.substring(key.length());
                if (rest.isEmpty() || "=: \t".indexOf(rest.charAt(0)) >= 0) {
                    return i + 1;
                }
            }
        }
        return 0;
    }

    /**
     * A setting's value and a description of its source, used in error messages.
     *
     * @param source for example {@code environment variable TASK_QUEUE_URL}
     */
    public record Value(ConfigKey key, String text, String source) {
    }
}
