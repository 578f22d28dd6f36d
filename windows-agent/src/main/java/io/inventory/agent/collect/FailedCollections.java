package io.inventory.agent.collect;

import io.inventory.inventory.InventoryCollector;
import io.inventory.proto.AgentInfo;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.SectionError;
import java.time.Instant;
import java.util.stream.Collectors;

/** Builds the document that stands for a collection that threw instead of returning a document. */
public final class FailedCollections {

    public static final String COLLECTION_FAILED = "COLLECTION_FAILED";

    private FailedCollections() {
    }

    /** A document with status {@code error} and one error entry describing the failure. */
    public static InventoryDocument document(TaskRequest task, Throwable failure, Instant at, String agentVersion) {
        return InventoryDocument.newBuilder()
                .setSchema(InventoryCollector.SCHEMA)
                .setStatus(InventoryCollector.STATUS_ERROR)
                .setCollectedAt(at.toString())
                .setTaskId(task.taskId())
                .setRunId(task.runId())
                .setAgent(AgentInfo.newBuilder().setVersion(agentVersion))
                .addErrors(SectionError.newBuilder()
                        .setCode(COLLECTION_FAILED)
                        .setMessage(describe(failure)))
                .build();
    }

    /** Whether nothing could be collected: status {@code error}, or no status at all. */
    public static boolean nothingCollected(InventoryDocument document) {
        return document.getStatus().isEmpty() || document.getStatus().equals(InventoryCollector.STATUS_ERROR);
    }

    /** A document's section errors as one line, {@code section: CODE message; ...}; empty when there are none. */
    public static String describeErrors(InventoryDocument document) {
        return document.getErrorsList().stream()
                .map(error -> (error.getSection().isEmpty() ? "" : error.getSection() + ": ") + error.getCode()
                        + (error.getMessage().isEmpty() ? "" : " " + error.getMessage()))
                .collect(Collectors.joining("; "));
    }

    /** The failure as one line: its type and message, which is what an operator needs to act on. */
    public static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
