package io.inventory.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A registry key address: root, path below it (backslash-separated, empty for the root itself) and view.
 * Equality ignores the case of the path, as the registry does.
 */
public final class RegistryKey {

    private static final String WOW64_NODE = "WOW6432Node";

    private final Hive hive;
    private final String path;
    private final RegistryView view;

    private RegistryKey(Hive hive, String path, RegistryView view) {
        this.hive = Objects.requireNonNull(hive, "hive");
        this.path = normalise(Objects.requireNonNull(path, "path"));
        this.view = Objects.requireNonNull(view, "view");
    }

    /** A key in the 64-bit view. */
    public static RegistryKey of(Hive hive, String path) {
        return new RegistryKey(hive, path, RegistryView.BIT_64);
    }

    /** A key in the given view. */
    public static RegistryKey of(Hive hive, String path, RegistryView view) {
        return new RegistryKey(hive, path, view);
    }

    public Hive hive() {
        return hive;
    }

    /** The path below the root, without leading or trailing backslashes; empty for the root. */
    public String path() {
        return path;
    }

    public RegistryView view() {
        return view;
    }

    /** The same path in another view. */
    public RegistryKey inView(RegistryView otherView) {
        return new RegistryKey(hive, path, otherView);
    }

    /** The subkey {@code name} (which may itself contain backslashes) of this key, in the same view. */
    public RegistryKey child(String name) {
        return new RegistryKey(hive, path.isEmpty() ? name : path + "\\" + name, view);
    }

    /** The last path segment, or the root's name for a root. */
    public String name() {
        int slash = path.lastIndexOf('\\');
        if (path.isEmpty()) {
            return hive.fullName();
        }
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /**
     * The key's location as it is stored: in the 32-bit view, {@code HKLM\SOFTWARE\...} is
     * {@code HKLM\SOFTWARE\WOW6432Node\...}, as in a .reg export. Other keys are not redirected.
     */
    public String physicalPath() {
        if (view != RegistryView.BIT_32 || hive != Hive.LOCAL_MACHINE) {
            return path;
        }
        List<String> segments = segments(path);
        boolean redirected = segments.size() >= 2
                && segments.get(0).equalsIgnoreCase("SOFTWARE")
                && !segments.get(1).equalsIgnoreCase(WOW64_NODE);
        if (!redirected) {
            return path;
        }
        segments.add(1, WOW64_NODE);
        return String.join("\\", segments);
    }

    /** The path segments of {@link #physicalPath()}. */
    public List<String> physicalSegments() {
        return Collections.unmodifiableList(segments(physicalPath()));
    }

    /** The full physical name, as regedit shows it: {@code HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\...}. */
    @Override
    public String toString() {
        String physical = physicalPath();
        return physical.isEmpty() ? hive.fullName() : hive.fullName() + "\\" + physical;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof RegistryKey that)) {
            return false;
        }
        return hive == that.hive && view == that.view && path.equalsIgnoreCase(that.path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hive, view, path.toUpperCase(Locale.ROOT));
    }

    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        if (path.isEmpty()) {
            return segments;
        }
        for (String segment : path.split("\\\\")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments;
    }

    private static String normalise(String raw) {
        return String.join("\\", segments(raw));
    }
}
