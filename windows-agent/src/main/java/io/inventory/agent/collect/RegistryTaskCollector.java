package io.inventory.agent.collect;

import io.inventory.inventory.InventoryCollector;
import io.inventory.proto.InventoryDocument;
import io.inventory.registry.Registry;
import java.time.Clock;

/** Collects from a registry (live or .reg exports) with the inventory collectors, and stamps the task's ids. */
public final class RegistryTaskCollector implements TaskCollector {

    private final InventoryCollector collector;

    public RegistryTaskCollector(Registry registry, Clock clock, String agentVersion) {
        this.collector = new InventoryCollector(registry, clock, agentVersion);
    }

    @Override
    public InventoryDocument collect(TaskRequest task) {
        return collector.collect(task.sections()).toBuilder()
                .setTaskId(task.taskId())
                .setRunId(task.runId())
                .build();
    }
}
