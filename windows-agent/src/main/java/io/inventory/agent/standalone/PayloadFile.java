package io.inventory.agent.standalone;

import io.inventory.codec.InvalidMessageException;
import io.inventory.codec.ProtoJson;
import io.inventory.proto.InventoryDocument;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's {@code payload.json}, replaced atomically: the new content goes to a temporary file in the same folder,
 * is flushed to disk, and is renamed over the old file in one step, so a reader sees the old document or the new
 * one and never a partial file, even if the agent dies half-way.
 */
public final class PayloadFile {

    private static final Logger LOG = LoggerFactory.getLogger(PayloadFile.class);

    // Windows refuses to replace a file that another process has open without FILE_SHARE_DELETE (an editor, a
    // virus scanner); such locks are short, so a few retries ride them out.
    private static final int REPLACE_ATTEMPTS = 5;
    private static final long REPLACE_RETRY_NANOS = 100_000_000L;

    private final Path target;

    public PayloadFile(Path target) {
        this.target = target.toAbsolutePath();
    }

    public Path path() {
        return target;
    }

    /** The document currently in the file; empty when there is none or it cannot be parsed (logged). */
    public Optional<InventoryDocument> read() {
        try {
            String json = Files.readString(target, StandardCharsets.UTF_8);
            return Optional.of(ProtoJson.parse(json, InventoryDocument.newBuilder()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | InvalidMessageException e) {
            LOG.warn("Ignoring the existing {}: {}", target, e.getMessage());
            return Optional.empty();
        }
    }

    /** Replaces the file's content with the document as indented JSON. */
    public void write(InventoryDocument document) throws IOException {
        Path folder = target.getParent();
        Files.createDirectories(folder);
        byte[] content = (ProtoJson.toPrettyJson(document) + "\n").getBytes(StandardCharsets.UTF_8);

        Path temporary = Files.createTempFile(folder, "." + target.getFileName() + "-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }

            replace(temporary);
        } finally {
            Files.deleteIfExists(temporary);
        }

        syncFolder(folder);
        LOG.debug("Wrote {} ({} bytes) task={}", target, content.length, document.getTaskId());
    }

    private void replace(Path temporary) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (AccessDeniedException e) {
                if (attempt == REPLACE_ATTEMPTS) {
                    throw e;
                }
                LockSupport.parkNanos(REPLACE_RETRY_NANOS);
            }
        }
    }

    /** Makes the rename itself durable on POSIX file systems; Windows cannot open a folder this way. */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.trace("Folder {} cannot be synced here: {}", folder, e.toString());
        }
    }
}
