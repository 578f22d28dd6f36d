package io.inventory.commands;

import java.util.List;

/** The outcome of parsing a commands file: the commands to queue and the lines that were refused. */
public record ParsedCommands(List<InventoryCommand> commands, List<Rejection> rejections) {

    public ParsedCommands {
        commands = List.copyOf(commands);
        rejections = List.copyOf(rejections);
    }
}
