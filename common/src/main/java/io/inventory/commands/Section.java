package io.inventory.commands;

import java.util.Locale;
import java.util.Optional;

/** A part of a host's inventory that a task can ask for by name, as in {@code inventory os programs}. */
public enum Section {
    OS("os"),
    HOST("host"),
    PROGRAMS("programs");

    private final String wireName;

    Section(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in commands files, task messages and the inventory document's {@code errors}. */
    public String wireName() {
        return wireName;
    }

    /** Looks a section up by its name, ignoring case. */
    public static Optional<Section> fromName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (Section section : values()) {
            if (section.wireName.equals(lower)) {
                return Optional.of(section);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
