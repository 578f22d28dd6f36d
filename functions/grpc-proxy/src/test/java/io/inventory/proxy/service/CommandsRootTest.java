package io.inventory.proxy.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsRootTest {

    @TempDir
    Path root;

    private CommandsRoot commands;

    @BeforeEach
    void writeAFile() throws Exception {
        Files.writeString(root.resolve("weekly.txt"), "inventory\n");
        commands = new CommandsRoot(root, 1024);
    }

    @Test
    void fileInsideTheRootIsRead() throws Exception {
        assertThat(new String(commands.read("weekly.txt"), StandardCharsets.UTF_8)).isEqualTo("inventory\n");
    }

    @Test
    void pathTooLongForAnyFileSystemIsTheCallersMistake() {
        CommandsRoot.RefusedException refused = catchThrowableOfType(CommandsRoot.RefusedException.class,
                () -> commands.read("a/".repeat(3000) + "commands.txt"));

        assertThat(refused.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getMessage()).contains("longer than a file system allows");
    }

    @Test
    void nameTooLongForAnyFileSystemIsTheCallersMistake() {
        CommandsRoot.RefusedException refused = catchThrowableOfType(CommandsRoot.RefusedException.class,
                () -> commands.read("x".repeat(300) + ".txt"));

        assertThat(refused.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void pathThroughAFileIsNotFoundAndNamesTheFile() {
        CommandsRoot.RefusedException refused = catchThrowableOfType(CommandsRoot.RefusedException.class,
                () -> commands.read("weekly.txt/inner.txt"));

        assertThat(refused.code()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(refused.errorCode()).isEqualTo("COMMANDS_NOT_FOUND");
        assertThat(refused.getMessage()).contains("weekly.txt is a file, not a directory");
    }
}
