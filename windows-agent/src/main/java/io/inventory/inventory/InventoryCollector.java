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

        int collected = 0;
        collected += run(Section.HOST, document, () -> document.setHost(new HostCollector(registry).collect()));
        String host = document.getHost().getName();
        if (wanted.contains(Section.OS)) {
            collected += run(Section.OS, document, () -> document.setOs(new OsCollector(registry).collect()));
        }
        if (wanted.contains(Section.PROGRAMS)) {
            collected += run(Section.PROGRAMS, document, () -> collectPrograms(document, host));
        }

        document.setStatus(document.getErrorsCount() == 0 ? STATUS_OK
                : collected == 0 ? STATUS_ERROR : STATUS_PARTIAL);
        document.setCollectedAt(DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.MILLIS)));
        LOG.info("Collected inventory host={} status={} programs={} errors={}", host, document.getStatus(),
                document.getProgramsCount(), document.getErrorsCount());
        return document.build();
    }

    private void collectPrograms(InventoryDocument.Builder document, String host) {
        ProgramsCollector.Result result = new ProgramsCollector(registry).collect();
        document.addAllPrograms(result.programs());
        List<RegistryException> problems = result.problems();
        if (!problems.isEmpty()) {
            String message = problems.size() + " registry read(s) failed, the programs there are missing: "
                    + problems.stream().map(Throwable::getMessage).limit(5).collect(Collectors.joining("; "));
            LOG.warn("Programs incomplete host={}: {}", host, message);
            document.addErrors(error(Section.PROGRAMS, problems.get(0).code(), message));
        }
    }

    /** Runs one section; 1 when it produced its data, 0 when it failed and was recorded in errors. */
    private int run(Section section, InventoryDocument.Builder document, Runnable collector) {
        try {
            collector.run();
            return 1;
        } catch (RegistryException e) {
            return failed(section, document, e.code(), e.getMessage(), null);
        } catch (SectionFailure e) {
            return failed(section, document, e.code(), e.getMessage(), null);
        } catch (RuntimeException e) {
            return failed(section, document, INTERNAL, e.toString(), e);
        }
    }

    private int failed(Section section, InventoryDocument.Builder document, String code, String message,
            Throwable unexpected) {
        String host = document.getHost().getName();
        if (unexpected == null) {
            LOG.warn("Section {} failed host={} code={}: {}", section, host, code, message);
        } else {
            LOG.error("Section {} failed unexpectedly host={}", section, host, unexpected);
        }
        document.addErrors(error(section, code, message));
        return 0;
    }

    private static SectionError error(Section section, String code, String message) {
        return SectionError.newBuilder().setSection(section.wireName()).setCode(code).setMessage(message).build();
    }
}
