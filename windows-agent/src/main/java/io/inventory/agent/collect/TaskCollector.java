package io.inventory.agent.collect;

import io.inventory.proto.InventoryDocument;

/**
 * Collects one host inventory for a task: the seam between the agent's modes (standalone, poll) and the
 * registry collectors, so the modes can be tested with slow or failing collections.
 */
@FunctionalInterface
public interface TaskCollector {

    /**
     * Collects the requested sections. The returned document carries the task's ids. A collection that fails
     * entirely may either return a document with status {@code error} or throw; both end as an error result.
     */
    InventoryDocument collect(TaskRequest task);
}
