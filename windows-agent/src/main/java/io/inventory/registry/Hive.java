package io.inventory.registry;

import java.util.Locale;
import java.util.Optional;

/** A predefined root key of the Windows registry, named as regedit writes it in .reg exports. */
public enum Hive {
    LOCAL_MACHINE("HKEY_LOCAL_MACHINE", "HKLM"),
    USERS("HKEY_USERS", "HKU"),
    CURRENT_USER("HKEY_CURRENT_USER", "HKCU"),
    CLASSES_ROOT("HKEY_CLASSES_ROOT", "HKCR"),
    CURRENT_CONFIG("HKEY_CURRENT_CONFIG", "HKCC");

    private final String fullName;
    private final String shortName;

    Hive(String fullName, String shortName) {
        this.fullName = fullName;
        this.shortName = shortName;
    }

    /** The name regedit uses, for example {@code HKEY_LOCAL_MACHINE}. */
    public String fullName() {
        return fullName;
    }

    /** Looks a root up by its full or short name ({@code HKEY_USERS}, {@code HKU}), ignoring case. */
    public static Optional<Hive> fromName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (Hive hive : values()) {
            if (hive.fullName.equals(upper) || hive.shortName.equals(upper)) {
                return Optional.of(hive);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return fullName;
    }
}
