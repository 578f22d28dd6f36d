package io.inventory.inventory;

import io.inventory.commands.Section;
import io.inventory.proto.AgentInfo;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.SectionError;
import io.inventory.registry.Registry;
import io.inventory.registry.RegistryException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects one host's inventory document from a registry. Sections are isolated: a section that fails is
 * recorded in the document's {@code errors} and the others are still collected, so {@link #collect} never throws.
 */
public final class InventoryCollector {

    /** The document layout this collector writes. */
    public static final String SCHEMA = "inventory/v1";

    /** Status of a document in which every section was collected. */
    public static final String STATUS_OK = "ok";

    /** Status of a document in which some sections failed; see its errors. */
    public static final String STATUS_PARTIAL = "partial";

    /** Status of a document in which nothing could be collected. */
    public static final String STATUS_ERROR = "error";

    /** The error code of a section that failed for an unexpected reason (a bug, not the registry). */
    public static final String INTERNAL = "INTERNAL";

    private static final Logger LOG = LoggerFactory.getLogger(InventoryCollector.class);

    private final Registry registry;
    private final Clock clock;
    private final String agentVersion;

    public InventoryCollector(Registry registry, Clock clock, String agentVersion) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.agentVersion = Objects.requireNonNull(agentVersion, "agentVersion");
    }

    /**
     * Collects the given sections (all when empty). The host name is always collected, because the document is
     * stored under it. The caller sets {@code task_id} and {@code run_id}.
     */
    public InventoryDocument collect(Set<Section> sections) {
        Set<Section> wanted = sections.isEmpty() ? EnumSet.allOf(Section.class) : EnumSet.copyOf(sections);
        wanted.add(Section.HOST);
        InventoryDocument.Builder document = InventoryDocument.newBuilder()
                .setSchema(SCHEMA)
                .setAgent(AgentInfo.newBuilder().setVersion(agentVersion));
        LOG.debug("Collecting sections {} from {}", wanted, registry.describe());

        Set<Section> collected = EnumSet.noneOf(Section.class);
        run(Section.HOST, document, collected, () -> document.setHost(new HostCollector(registry).collect()));
        String host = document.getHost().getName();
        if (wanted.contains(Section.OS)) {
            run(Section.OS, document, collected, () -> document.setOs(new OsCollector(registry).collect()));
        }
        if (wanted.contains(Section.PROGRAMS)) {
            run(Section.PROGRAMS, document, collected, () -> collectPrograms(document, host));
        }

        document.setStatus(document.getErrorsCount() == 0 ? STATUS_OK
                : collected.isEmpty() ? STATUS_ERROR : STATUS_PARTIAL);
        String collectedAt = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.MILLIS));
        document.setCollectedAt(collectedAt);
        // Only sections with data are named, so a merge never lets a failed or unasked section replace a good one.
        collected.forEach(section -> document.putSectionCollectedAt(section.wireName(), collectedAt));
        LOG.info("Collected inventory host={} status={} programs={} errors={}", host, document.getStatus(),
                document.getProgramsCount(), document.getErrorsCount());
        return document.build();
    }

    private void collectPrograms(InventoryDocument.Builder document, String host) {
        ProgramsCollector.Result result = new ProgramsCollector(registry).collect();
        List<RegistryException> problems = result.problems();
        if (problems.isEmpty()) {
            document.addAllPrograms(result.programs());
            return;
        }

        String message = problems.size() + " registry read(s) failed, the programs there are missing: "
                + problems.stream().map(Throwable::getMessage).limit(5).collect(Collectors.joining("; "));
        // Nothing read is a failed section, not an empty list: it must not replace the programs stored earlier.
        if (result.programs().isEmpty()) {
            throw new SectionFailure(problems.get(0).code(), message);
        }
        LOG.warn("Programs incomplete host={}: {}", host, message);
        document.addAllPrograms(result.programs());
        document.addErrors(error(Section.PROGRAMS, problems.get(0).code(), message));
    }

    /** Runs one section; adds it to {@code collected} when it produced its data, else records it in errors. */
    private void run(Section section, InventoryDocument.Builder document, Set<Section> collected,
                     Runnable collector) {
        try {
            collector.run();
            collected.add(section);
        } catch (RegistryException e) {
            failed(section, document, e.code(), e.getMessage(), null);
        } catch (SectionFailure e) {
            failed(section, document, e.code(), e.getMessage(), null);
        } catch (RuntimeException e) {
            failed(section, document, INTERNAL, e.toString(), e);
        }
    }

    private void failed(Section section, InventoryDocument.Builder document, String code, String message,
            Throwable unexpected) {
        String host = document.getHost().getName();
        if (unexpected == null) {
            LOG.warn("Section {} failed host={} code={}: {}", section, host, code, message);
        } else {
            LOG.error("Section {} failed unexpectedly host={}", section, host, unexpected);
        }
        document.addErrors(error(section, code, message));
    }

    private static SectionError error(Section section, String code, String message) {
        return SectionError.newBuilder().setSection(section.wireName()).setCode(code).setMessage(message).build();
    }
}
