package io.inventory.agent.poll;

import io.inventory.agent.collect.FailedCollections;
import io.inventory.agent.collect.TaskRequest;
import io.inventory.proto.AgentInfo;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import java.time.Instant;

/** Builds the {@link InventoryResult} an agent sends for a task: the inventory, or an error in its place. */
final class InventoryResults {

    static final String STATUS_OK = "ok";
    static final String STATUS_ERROR = "error";
    static final String RESULT_TOO_LARGE = "RESULT_TOO_LARGE";

    private InventoryResults() {
    }

    /**
     * The result for a collected document. A document in which nothing could be collected becomes an error result
     * (COLLECTION_FAILED, with each section's error in the message), as the result contract asks.
     */
    static InventoryResult of(TaskRequest task, InventoryDocument document, String fallbackHost, String agentVersion,
                              Instant now) {
        String host = document.getHost().getName().isEmpty() ? fallbackHost : document.getHost().getName();
        if (FailedCollections.nothingCollected(document)) {
            String message = FailedCollections.describeErrors(document);
            return error(task, host, FailedCollections.COLLECTION_FAILED,
                    message.isEmpty() ? "nothing could be collected" : message, agentVersion, now);
        }
        return InventoryResult.newBuilder()
                .setTaskId(task.taskId())
                .setRunId(task.runId())
                .setHost(host)
                .setStatus(STATUS_OK)
                .setInventory(document)
                .setCollectedAt(document.getCollectedAt().isEmpty() ? now.toString() : document.getCollectedAt())
                .setAgent(AgentInfo.newBuilder().setVersion(agentVersion))
                .build();
    }

    static InventoryResult error(TaskRequest task, String host, String code, String message, String agentVersion,
                                 Instant now) {
        return InventoryResult.newBuilder()
                .setTaskId(task.taskId())
                .setRunId(task.runId())
                .setHost(host)
                .setStatus(STATUS_ERROR)
                .setErrorCode(code)
                .setErrorMessage(message)
                .setCollectedAt(now.toString())
                .setAgent(AgentInfo.newBuilder().setVersion(agentVersion))
                .build();
    }
}
