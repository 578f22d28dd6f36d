package io.inventory.document;

import io.inventory.commands.Section;
import io.inventory.proto.AgentInfo;
import io.inventory.proto.HostInfo;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import io.inventory.proto.LastError;
import io.inventory.proto.SectionError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How results change a host's stored inventory document ({@code payload.json}), section by section. The cloud
 * writer and the agent's standalone mode both use it, so both keep the same document for the same results.
 *
 * <p>The rules make the outcome depend only on the set of results, not on their order or on repeats, which is what
 * lets concurrent writers and an at-least-once queue agree. A collection is newer than another when its time is
 * later, or the time is the same and its task id is greater.
 * <ul>
 *     <li>Each section ({@code os}, {@code host}, {@code programs}) is replaced only by a newer collection of that
 *     section, together with that section's errors. Sections a result did not collect stay as they are, with
 *     their own times in {@code section_collected_at}; so {@code inventory os} never removes the programs.</li>
 *     <li>{@code collected_at}, {@code task_id}, {@code run_id}, {@code agent} describe the newest inventory
 *     merged in. Errors that belong to no held section (a section nobody collected, or no section at all) are
 *     those of that newest inventory.</li>
 *     <li>{@code status} is recomputed: {@code ok} when no error is left, {@code partial} when some held section
 *     or the newest inventory reports one, {@code error} when no section is held at all.</li>
 *     <li>An error result never replaces an inventory. When it is newer than the newest inventory and than any
 *     earlier error, it becomes {@code last_error}; a newer inventory clears it. A host without an inventory gets
 *     a document with status {@code error} and the {@code last_error}.</li>
 * </ul>
 * A document without {@code section_collected_at} (older agents) holds every section, collected at its
 * {@code collected_at} by its {@code task_id}.
 */
public final class InventoryMerge {

    /** The layout of the documents this merge produces. */
    public static final String SCHEMA = "inventory/v1";

    public static final String STATUS_OK = "ok";
    public static final String STATUS_PARTIAL = "partial";
    public static final String STATUS_ERROR = "error";

    /** The code recorded in {@code last_error} for an error result that carries none. */
    public static final String UNSPECIFIED_ERROR_CODE = "UNSPECIFIED";

    private static final Set<String> SECTION_NAMES =
            Stream.of(Section.values()).map(Section::wireName).collect(Collectors.toUnmodifiableSet());

    private static final Comparator<InventoryResult> ORDER = Comparator
            .comparing((InventoryResult result) -> time(result.getCollectedAt()))
            .thenComparing(InventoryResult::getTaskId);

    private InventoryMerge() {
    }

    /**
     * The document after {@code results}; {@code current} itself (possibly null) when none of them changes it.
     * Applying them in time order only makes intermediate documents tidier: the final one is the same in any order.
     */
    public static InventoryDocument apply(InventoryDocument current, Collection<InventoryResult> results) {
        InventoryDocument document = current;
        for (InventoryResult result : results.stream().sorted(ORDER).toList()) {
            document = apply(document, result);
        }
        return document;
    }

    /**
     * The document after one result: an inventory when its status is {@code ok}, an error otherwise. Returns
     * {@code current} itself (possibly null) when the result changes nothing, for example when it is a repeat.
     * Times that are missing or not RFC 3339 count as older than every real time.
     */
    public static InventoryDocument apply(InventoryDocument current, InventoryResult result) {
        if (STATUS_OK.equals(result.getStatus()) && result.hasInventory()) {
            return applyInventory(current, result);
        }
        return applyError(current, result);
    }

    /** Whether a document holds an inventory; an error-only document has no collection time. */
    public static boolean hasInventory(InventoryDocument document) {
        return document != null && !document.getCollectedAt().isEmpty();
    }

    private static InventoryDocument applyInventory(InventoryDocument current, InventoryResult result) {
        InventoryDocument incoming = result.getInventory();
        boolean stored = hasInventory(current);
        boolean incomingIsNewest = !stored || isAfter(time(result.getCollectedAt()), result.getTaskId(),
                time(current.getCollectedAt()), current.getTaskId());
        InventoryDocument newest = incomingIsNewest ? incoming : current;
        boolean changed = incomingIsNewest;

        InventoryDocument.Builder next = InventoryDocument.newBuilder();
        List<SectionError> errors = new ArrayList<>();
        boolean anyHeld = false;
        for (Section section : Section.values()) {
            Optional<SectionCollection> mine = stored ? collectionIn(current, section, current.getCollectedAt(),
                    current.getTaskId()) : Optional.empty();
            Optional<SectionCollection> theirs = collectionIn(incoming, section, result.getCollectedAt(),
                    result.getTaskId());
            boolean replace = theirs.isPresent() && (mine.isEmpty() || theirs.get().isAfter(mine.get()));
            changed |= replace;

            Optional<SectionCollection> held = replace ? theirs : mine;
            InventoryDocument source = replace ? incoming : held.isPresent() ? current : newest;
            copySection(section, source, next);
            errors.addAll(errorsOf(source, section));
            if (held.isPresent()) {
                anyHeld = true;
                next.putSectionCollectedAt(section.wireName(), held.get().at());
                next.putSectionTaskId(section.wireName(), held.get().taskId());
            }
        }
        if (!changed) {
            return current;
        }
        errors.addAll(errorsOutsideSections(newest));

        String host = incomingIsNewest ? result.getHost() : current.getHost().getName();
        if (next.getHost().getName().isEmpty()) {
            next.setHost(next.getHost().toBuilder().setName(host));
        }
        next.setSchema(newest.getSchema().isEmpty() ? SCHEMA : newest.getSchema())
                .setCollectedAt(incomingIsNewest ? result.getCollectedAt() : current.getCollectedAt())
                .setTaskId(incomingIsNewest ? result.getTaskId() : current.getTaskId())
                .setRunId(incomingIsNewest ? result.getRunId() : current.getRunId())
                .addAllErrors(errors)
                .setStatus(!anyHeld ? STATUS_ERROR : errors.isEmpty() ? STATUS_OK : STATUS_PARTIAL);
        agentOf(incomingIsNewest ? incoming : current, result, incomingIsNewest).ifPresent(next::setAgent);

        // An error reported by a task later than every inventory merged in still stands.
        if (current != null && current.hasLastError() && isAfter(time(current.getLastError().getAt()),
                current.getLastError().getTaskId(), time(next.getCollectedAt()), next.getTaskId())) {
            next.setLastError(current.getLastError());
        }
        return next.build();
    }

    private static InventoryDocument applyError(InventoryDocument current, InventoryResult result) {
        Instant at = time(result.getCollectedAt());
        if (hasInventory(current)
                && !isAfter(at, result.getTaskId(), time(current.getCollectedAt()), current.getTaskId())) {
            return current;
        }
        if (current != null && current.hasLastError() && !isAfter(at, result.getTaskId(),
                time(current.getLastError().getAt()), current.getLastError().getTaskId())) {
            return current;
        }

        LastError lastError = LastError.newBuilder()
                .setCode(result.getErrorCode().isEmpty() ? UNSPECIFIED_ERROR_CODE : result.getErrorCode())
                .setMessage(result.getErrorMessage())
                .setAt(result.getCollectedAt())
                .setTaskId(result.getTaskId())
                .setRunId(result.getRunId())
                .build();
        if (current != null) {
            return current.toBuilder().setLastError(lastError).build();
        }

        InventoryDocument.Builder created = InventoryDocument.newBuilder()
                .setSchema(SCHEMA)
                .setHost(HostInfo.newBuilder().setName(result.getHost()))
                .setStatus(STATUS_ERROR)
                .setLastError(lastError);
        if (result.hasAgent()) {
            created.setAgent(result.getAgent());
        }
        return created.build();
    }

    /**
     * The collection of one section a document holds, if any. A document without section times holds every
     * section at {@code fallbackAt} by {@code fallbackTaskId}.
     */
    private static Optional<SectionCollection> collectionIn(InventoryDocument document, Section section,
                                                            String fallbackAt, String fallbackTaskId) {
        if (document.getSectionCollectedAtCount() == 0) {
            return Optional.of(new SectionCollection(fallbackAt, fallbackTaskId));
        }
        String at = document.getSectionCollectedAtMap().get(section.wireName());
        if (at == null) {
            return Optional.empty();
        }
        String taskId = document.getSectionTaskIdOrDefault(section.wireName(), fallbackTaskId);
        return Optional.of(new SectionCollection(at, taskId));
    }

    private static void copySection(Section section, InventoryDocument source, InventoryDocument.Builder target) {
        switch (section) {
            case OS -> {
                if (source.hasOs()) {
                    target.setOs(source.getOs());
                }
            }
            case HOST -> {
                if (source.hasHost()) {
                    target.setHost(source.getHost());
                }
            }
            case PROGRAMS -> target.addAllPrograms(source.getProgramsList());
        }
    }

    /** The agent of the newest inventory: the one its document names, else the one its result names. */
    private static Optional<AgentInfo> agentOf(InventoryDocument newest, InventoryResult result,
                                               boolean resultIsNewest) {
        if (newest.hasAgent()) {
            return Optional.of(newest.getAgent());
        }
        return resultIsNewest && result.hasAgent() ? Optional.of(result.getAgent()) : Optional.empty();
    }

    private static List<SectionError> errorsOf(InventoryDocument document, Section section) {
        return document.getErrorsList().stream().filter(error -> error.getSection().equals(section.wireName()))
                .toList();
    }

    private static List<SectionError> errorsOutsideSections(InventoryDocument document) {
        return document.getErrorsList().stream()
                .filter(error -> !SECTION_NAMES.contains(error.getSection()))
                .toList();
    }

    private static boolean isAfter(Instant at, String taskId, Instant otherAt, String otherTaskId) {
        int byTime = at.compareTo(otherAt);
        return byTime > 0 || byTime == 0 && taskId.compareTo(otherTaskId) > 0;
    }

    private static Instant time(String text) {
        return Timestamps.parseStored(text);
    }

    /** One collection of a section: when and by which task. */
    private record SectionCollection(String at, String taskId) {

        boolean isAfter(SectionCollection other) {
            return InventoryMerge.isAfter(time(at), taskId, time(other.at), other.taskId);
        }
    }
}
