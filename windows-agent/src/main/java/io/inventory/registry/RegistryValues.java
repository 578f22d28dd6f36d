package io.inventory.registry;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/** The values of one key, looked up by name ignoring case as the registry does. */
public final class RegistryValues {

    private static final RegistryValues EMPTY = new RegistryValues(new TreeMap<>(String.CASE_INSENSITIVE_ORDER));

    private final Map<String, RegistryValue> byName;

    private RegistryValues(TreeMap<String, RegistryValue> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** The values of a key that has none, or does not exist. */
    public static RegistryValues empty() {
        return EMPTY;
    }

    /** Values from a collection; a later value with the same name replaces an earlier one. */
    public static RegistryValues of(Collection<RegistryValue> values) {
        TreeMap<String, RegistryValue> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (RegistryValue value : values) {
            map.put(value.name(), value);
        }
        return new RegistryValues(map);
    }

    public Optional<RegistryValue> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The value as text, trimmed, when present and not blank. */
    public Optional<String> text(String name) {
        return get(name).flatMap(RegistryValue::asText).map(String::trim).filter(text -> !text.isEmpty());
    }

    /** The value as a number, when present and numeric. */
    public OptionalLong number(String name) {
        RegistryValue value = byName.get(name);
        return value == null ? OptionalLong.empty() : value.asNumber();
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    public Collection<RegistryValue> all() {
        return byName.values();
    }

    public int size() {
        return byName.size();
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    @Override
    public String toString() {
        return byName.values().toString();
    }
}
