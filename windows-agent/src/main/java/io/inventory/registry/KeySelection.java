package io.inventory.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * Which keys of a .reg export to keep in memory. A full-registry export runs to hundreds of megabytes, so the
 * reader keeps only the keys a selection names (with their values) and the names of their ancestors; everything
 * else is checked for syntax and dropped. Patterns are physical paths (WOW6432Node spelled out) whose segments
 * may be {@code *}, matching any one key name; a pattern ending in {@code \**} also keeps the whole subtree.
 */
public final class KeySelection {

    private static final KeySelection EVERYTHING = new KeySelection(List.of(), true);

    private static final KeySelection INVENTORY = of(
            "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
            "HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows NT\\CurrentVersion",
            "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
            "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*",
            "HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
            "HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*",
            "HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes\\Installer\\Products\\*",
            "HKEY_LOCAL_MACHINE\\SYSTEM\\Select",
            "HKEY_LOCAL_MACHINE\\SYSTEM\\*\\Control\\ComputerName\\ComputerName",
            "HKEY_LOCAL_MACHINE\\SYSTEM\\*\\Services\\Tcpip\\Parameters",
            "HKEY_USERS\\*",
            "HKEY_USERS\\*\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
            "HKEY_USERS\\*\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*",
            "HKEY_USERS\\*\\Software\\Microsoft\\Installer\\Products\\*");

    private final List<Pattern> patterns;
    private final boolean everything;

    private KeySelection(List<Pattern> patterns, boolean everything) {
        this.patterns = patterns;
        this.everything = everything;
    }

    /** Keeps every key: only for small files, such as test fixtures. */
    public static KeySelection everything() {
        return EVERYTHING;
    }

    /** The keys the inventory collectors read: OS version, computer name, Uninstall entries, MSI products. */
    public static KeySelection inventory() {
        return INVENTORY;
    }

    /** Keeps the keys matching any of the patterns, written as {@code HKEY_...\path} with optional wildcards. */
    public static KeySelection of(String... patterns) {
        List<Pattern> parsed = new ArrayList<>();
        for (String pattern : patterns) {
            List<String> segments = RegistryKey.segments(pattern);
            Hive hive = Hive.fromName(segments.get(0))
                    .orElseThrow(() -> new IllegalArgumentException("unknown root in pattern " + pattern));
            List<String> rest = segments.subList(1, segments.size());
            boolean subtree = !rest.isEmpty() && rest.get(rest.size() - 1).equals("**");
            parsed.add(new Pattern(hive, List.copyOf(subtree ? rest.subList(0, rest.size() - 1) : rest), subtree));
        }
        return new KeySelection(List.copyOf(parsed), false);
    }

    /** Whether the key at this physical path is kept with its values. */
    boolean keeps(Hive hive, List<String> segments) {
        if (everything) {
            return true;
        }
        for (Pattern pattern : patterns) {
            if (pattern.matches(hive, segments)) {
                return true;
            }
        }
        return false;
    }

    private record Pattern(Hive hive, List<String> segments, boolean subtree) {

        boolean matches(Hive keyHive, List<String> key) {
            if (keyHive != hive) {
                return false;
            }
            if (subtree ? key.size() < segments.size() : key.size() != segments.size()) {
                return false;
            }
            for (int i = 0; i < segments.size(); i++) {
                String wanted = segments.get(i);
                if (!wanted.equals("*") && !wanted.equalsIgnoreCase(key.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }
}
