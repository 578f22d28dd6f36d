package io.inventory.agent.collect;

import io.inventory.inventory.InventoryCollector;
import io.inventory.proto.AgentInfo;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.SectionError;
import java.time.Instant;

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

    /** The failure as one line: its type and message, which is what an operator needs to act on. */
    public static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
