package io.inventory.commands;

import java.util.Set;

/**
 * One accepted {@code inventory} line of a commands file.
 *
 * @param line     1-based line number in the file
 * @param sections the sections to collect; empty means all of them
 */
public record InventoryCommand(int line, Set<Section> sections) {

    public InventoryCommand {
        sections = Set.copyOf(sections);
    }
}
