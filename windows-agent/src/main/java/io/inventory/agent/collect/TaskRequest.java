package io.inventory.agent.collect;

import io.inventory.commands.Section;
import java.util.Set;

/**
 * What one task asks for: its ids and the sections to collect.
 *
 * @param sections the sections to collect; empty means all of them
 */
public record TaskRequest(String runId, String taskId, Set<Section> sections) {

    public TaskRequest {
        sections = Set.copyOf(sections);
    }
}
