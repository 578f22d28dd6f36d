package io.inventory.agent.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.codec.InvalidMessageException;
import io.inventory.codec.ProtoJson;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.Program;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayloadFileTest {

    @TempDir
    Path dir;

    private static InventoryDocument document(int generation, int programs) {
        InventoryDocument.Builder builder = InventoryDocument.newBuilder()
                .setSchema("inventory/v1").setStatus("ok").setTaskId("run-1-L" + generation);
        for (int i = 0; i < programs; i++) {
            builder.addPrograms(Program.newBuilder().setName("Program " + i + " of generation " + generation)
                    .setVersion("1.0." + i).setPublisher("Publisher with a long name to make the file big"));
        }
        return builder.build();
    }

    @Test
    void writtenDocumentReadsBackAndLeavesNoTemporaryFiles() throws Exception {
        PayloadFile payload = new PayloadFile(dir.resolve("data/payload.json"));

        payload.write(document(1, 3));

        assertThat(payload.read()).contains(document(1, 3));
        try (Stream<Path> files = Files.list(dir.resolve("data"))) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("payload.json");
        }
    }

    @Test
    void concurrentReaderNeverSeesAPartialFile() throws Exception {
        PayloadFile payload = new PayloadFile(dir.resolve("payload.json"));
        payload.write(document(0, 2000));
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<String> broken = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (writing.get() || reads.get() == 0) {
                try {
                    String json = Files.readString(payload.path());
                    InventoryDocument seen = ProtoJson.parse(json, InventoryDocument.newBuilder());
                    if (seen.getProgramsCount() != 2000) {
                        broken.compareAndSet(null, "document with " + seen.getProgramsCount() + " programs");
                    }
                    reads.incrementAndGet();
                } catch (NoSuchFileException e) {
                    broken.compareAndSet(null, "file missing between writes");
                } catch (InvalidMessageException | IOException e) {
                    broken.compareAndSet(null, e.toString());
                }
            }
        });

        reader.start();
        for (int generation = 1; generation <= 60; generation++) {
            payload.write(document(generation, 2000));
        }
        writing.set(false);
        reader.join();

        assertThat(broken.get()).as("what the reader saw").isNull();
        assertThat(reads.get()).isPositive();
        assertThat(payload.read().map(InventoryDocument::getTaskId)).contains("run-1-L60");
    }

    @Test
    void unparseableExistingFileReadsAsNoDocument() throws Exception {
        Path file = dir.resolve("payload.json");
        Files.writeString(file, "{\"programs\": [");

        assertThat(new PayloadFile(file).read()).isEmpty();
        assertThat(List.of(Files.readString(file))).containsExactly("{\"programs\": [");
    }
}
