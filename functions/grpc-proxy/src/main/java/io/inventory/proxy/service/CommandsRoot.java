package io.inventory.proxy.service;

import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The directory the proxy reads {@code commands_file} paths from. A path is resolved against the root; anything
 * that ends up outside it, lexically ({@code ..}, another absolute path) or through a symbolic link, is refused.
 */
public final class CommandsRoot {

    /** NAME_MAX and PATH_MAX of Linux; Windows allows less, so nothing longer can name a file anywhere. */
    private static final int MAX_NAME_CHARS = 255;
    private static final int MAX_PATH_CHARS = 4096;

    private final Path root;
    private final Path realRoot;
    private final int maxBytes;

    /**
     * @param root     the directory; relative paths in requests are resolved against it
     * @param maxBytes largest file read; larger files are refused from their size alone
     * @throws IOException when the root does not exist or cannot be resolved
     */
    public CommandsRoot(Path root, int maxBytes) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.realRoot = this.root.toRealPath();
        if (!Files.isDirectory(realRoot)) {
            throw new IOException("the commands root " + root + " is not a directory");
        }
        this.maxBytes = maxBytes;
    }

    /** A commands file that may not or cannot be read, with the gRPC status the caller gets. */
    public static final class RefusedException extends Exception {

        private static final long serialVersionUID = 1L;

        private final Status.Code code;
        private final String errorCode;

        RefusedException(Status.Code code, String errorCode, String message) {
            super(message);
            this.code = code;
            this.errorCode = errorCode;
        }

        public Status.Code code() {
            return code;
        }

        /** The RunResponse error_code for the refusal. */
        public String errorCode() {
            return errorCode;
        }
    }

    /** Reads {@code requested}, which is absolute inside the root or relative to it. */
    public byte[] read(String requested) throws RefusedException {
        Path path = resolveInside(requested);

        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            throw new RefusedException(Status.Code.NOT_FOUND, "COMMANDS_NOT_FOUND",
                    "commands_file '" + requested + "' does not exist");
        } catch (AccessDeniedException e) {
            throw denied(requested, "the proxy may not read it");
        } catch (IOException e) {
            throw unresolvable(requested, path, e);
        }
        if (!real.startsWith(realRoot)) {
            throw denied(requested, "a symbolic link leads outside the commands root");
        }
        if (!Files.isRegularFile(real)) {
            throw new RefusedException(Status.Code.INVALID_ARGUMENT, "INVALID_COMMANDS",
                    "commands_file '" + requested + "' is not a regular file");
        }

        try {
            long size = Files.size(real);
            if (size > maxBytes) {
                throw tooLarge(requested, size + " bytes");
            }
            // NOFOLLOW_LINKS: a link swapped in after the check above is not followed.
            try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
                byte[] content = in.readNBytes(maxBytes + 1);
                if (content.length > maxBytes) {
                    throw tooLarge(requested, "more than " + maxBytes + " bytes");
                }
                return content;
            }
        } catch (AccessDeniedException e) {
            throw denied(requested, "the proxy may not read it");
        } catch (IOException e) {
            throw new RefusedException(Status.Code.INTERNAL, "INTERNAL",
                    "commands_file '" + requested + "' could not be read: " + e.getMessage());
        }
    }

    /**
     * A path that cannot be resolved is the caller's mistake when it runs through a file as if it were a directory;
     * only what remains is the proxy's own (I/O) problem.
     */
    private RefusedException unresolvable(String requested, Path path, IOException cause) {
        for (Path ancestor = path.getParent(); ancestor != null && ancestor.startsWith(root);
             ancestor = ancestor.getParent()) {
            if (Files.isRegularFile(ancestor, LinkOption.NOFOLLOW_LINKS)) {
                return new RefusedException(Status.Code.NOT_FOUND, "COMMANDS_NOT_FOUND",
                        "commands_file '" + requested + "' does not exist: " + root.relativize(ancestor)
                                + " is a file, not a directory");
            }
        }

        return new RefusedException(Status.Code.INTERNAL, "INTERNAL",
                "commands_file '" + requested + "' could not be resolved: " + cause.getMessage());
    }

    private Path resolveInside(String requested) throws RefusedException {
        Path asked;
        try {
            asked = Path.of(requested);
        } catch (InvalidPathException e) {
            throw new RefusedException(Status.Code.INVALID_ARGUMENT, "INVALID_REQUEST",
                    "commands_file is not a valid path: " + e.getReason());
        }
        Path resolved = (asked.isAbsolute() ? asked : root.resolve(asked)).normalize();
        if (!resolved.startsWith(root)) {
            throw denied(requested, "it is outside the commands root");
        }

        boolean tooLong = resolved.toString().length() > MAX_PATH_CHARS;
        for (Path name : resolved) {
            tooLong |= name.toString().length() > MAX_NAME_CHARS;
        }
        if (tooLong) {
            throw new RefusedException(Status.Code.INVALID_ARGUMENT, "INVALID_REQUEST",
                    "commands_file is longer than a file system allows (" + MAX_NAME_CHARS + " characters a name, "
                            + MAX_PATH_CHARS + " in all)");
        }
        return resolved;
    }

    private RefusedException tooLarge(String requested, String size) {
        return new RefusedException(Status.Code.INVALID_ARGUMENT, "COMMANDS_TOO_LARGE",
                "commands_file '" + requested + "' is " + size + "; the limit is " + maxBytes);
    }

    private static RefusedException denied(String requested, String why) {
        return new RefusedException(Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED",
                "commands_file '" + requested + "' is refused: " + why);
    }
}
