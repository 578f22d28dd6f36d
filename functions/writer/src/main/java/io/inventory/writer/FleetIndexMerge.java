package io.inventory.writer;

import io.inventory.commands.Section;
import io.inventory.document.Timestamps;
import io.inventory.proto.FleetEntry;
import io.inventory.proto.FleetIndex;
import io.inventory.proto.InventoryDocument;
import java.time.Instant;
import java.util.Map;

/**
 * How host documents change the fleet index. An entry is replaced only by one from a newer version of the host's
 * document, so a writer that saw an older version never overwrites what a faster writer already recorded.
 */
final class FleetIndexMerge {

    static final String SCHEMA = "fleet-index/v1";

    private FleetIndexMerge() {
    }

    /** The index entry that summarises a host document. */
    static FleetEntry entryOf(InventoryDocument document) {
        return FleetEntry.newBuilder()
                .setStatus(document.getStatus())
                .setCollectedAt(document.getCollectedAt())
                .setProgramCount(document.getProgramsCount())
                .setLastErrorAt(document.hasLastError() ? document.getLastError().getAt() : "")
                .putAllSectionCollectedAt(document.getSectionCollectedAtMap())
                .build();
    }

    /**
     * The index with {@code entries} (keyed by host key) applied; {@code current} itself (possibly null) when
     * every entry is already there or older than what is there.
     */
    static FleetIndex apply(FleetIndex current, Map<String, FleetEntry> entries, Instant now) {
        FleetIndex.Builder next = current == null ? FleetIndex.newBuilder().setSchema(SCHEMA) : current.toBuilder();
        boolean changed = false;
        for (Map.Entry<String, FleetEntry> entry : entries.entrySet()) {
            FleetEntry existing = next.getHostsMap().get(entry.getKey());
            if (existing == null || isNewer(entry.getValue(), existing)) {
                next.putHosts(entry.getKey(), entry.getValue());
                changed = true;
            }
        }
        if (!changed) {
            return current;
        }
        return next.setUpdatedAt(now.toString()).build();
    }

    /**
     * A host document only ever moves forward in (collected_at, each section's time, last error time): a newer
     * inventory raises the first, an older task's section collection raises that section's time alone, a newer
     * error raises the last with the others unchanged. So that order tells versions apart.
     */
    private static boolean isNewer(FleetEntry candidate, FleetEntry existing) {
        int byCollection = Timestamps.parseStored(candidate.getCollectedAt())
                .compareTo(Timestamps.parseStored(existing.getCollectedAt()));
        if (byCollection != 0) {
            return byCollection > 0;
        }
        for (Section section : Section.values()) {
            int bySection = Timestamps.parseStored(candidate.getSectionCollectedAtOrDefault(section.wireName(), ""))
                    .compareTo(Timestamps.parseStored(existing.getSectionCollectedAtOrDefault(section.wireName(), "")));
            if (bySection != 0) {
                return bySection > 0;
            }
        }
        return Timestamps.parseStored(candidate.getLastErrorAt())
                .compareTo(Timestamps.parseStored(existing.getLastErrorAt())) > 0;
    }
}
