package io.inventory.inventory;

import io.inventory.proto.Program;
import io.inventory.registry.Hive;
import io.inventory.registry.Registry;
import io.inventory.registry.RegistryException;
import io.inventory.registry.RegistryKey;
import io.inventory.registry.RegistryUnavailableException;
import io.inventory.registry.RegistryValues;
import io.inventory.registry.RegistryView;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installed programs as "Programs and Features" lists them: the machine-wide Uninstall keys in the 64-bit and
 * 32-bit views and each loaded user hive's, filtered by {@link ProgramsAndFeaturesFilter}, deduplicated and sorted.
 * An entry or a source that cannot be read is reported as a problem; the rest are still listed.
 */
final class ProgramsCollector {

    // Spelled as Windows shows them: SOFTWARE in the machine hive, Software in user hives.
    static final String MACHINE_UNINSTALL = "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall";
    static final String USER_UNINSTALL = "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall";
    static final RegistryKey MACHINE_PRODUCTS =
            RegistryKey.of(Hive.LOCAL_MACHINE, "SOFTWARE\\Classes\\Installer\\Products", RegistryView.BIT_64);
    static final String USER_PRODUCTS = "Software\\Microsoft\\Installer\\Products";

    private static final Logger LOG = LoggerFactory.getLogger(ProgramsCollector.class);

    private static final DateTimeFormatter COMPACT_DATE =
            DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);

    private static final Comparator<Program> ORDER = Comparator
            .comparing(Program::getName, String.CASE_INSENSITIVE_ORDER)
            .thenComparing(Program::getName)
            .thenComparing(Program::getVersion)
            .thenComparing(Program::getArchitecture)
            .thenComparing(Program::getScope)
            .thenComparing(Program::getUserSid)
            .thenComparing(Program::getRegistryKey, String.CASE_INSENSITIVE_ORDER);

    private final Registry registry;

    ProgramsCollector(Registry registry) {
        this.registry = registry;
    }

    /** The programs, and what could not be read; nothing at all readable is a failure of the whole section. */
    Result collect() {
        List<Program> found = new ArrayList<>();
        List<RegistryException> problems = new ArrayList<>();
        int sources = 0;
        int failedSources = 0;

        Set<String> machineProducts = productNames(MACHINE_PRODUCTS, problems);
        for (Source source : sources(problems)) {
            sources++;
            if (!readSource(source, machineProducts, found, problems)) {
                failedSources++;
            }
        }

        if (sources > 0 && failedSources == sources) {
            throw problems.get(0);
        }
        return new Result(deduplicatedAndSorted(found), problems);
    }

    private List<Source> sources(List<RegistryException> problems) {
        List<Source> sources = new ArrayList<>();
        RegistryKey machine = RegistryKey.of(Hive.LOCAL_MACHINE, MACHINE_UNINSTALL);
        sources.add(new Source(machine.inView(RegistryView.BIT_64), "x64", "machine", "", null));
        sources.add(new Source(machine.inView(RegistryView.BIT_32), "x86", "machine", "", null));

        List<String> sids;
        try {
            sids = registry.subkeys(RegistryKey.of(Hive.USERS, ""));
        } catch (RegistryUnavailableException e) {
            throw e;
        } catch (RegistryException e) {
            LOG.warn("Cannot list the user hives under HKEY_USERS: {}", e.getMessage());
            problems.add(e);
            return sources;
        }
        for (String sid : sids) {
            // SID_Classes hives are each user's file associations, and .DEFAULT is the same hive as S-1-5-18.
            if (sid.toUpperCase(Locale.ROOT).endsWith("_CLASSES") || sid.equalsIgnoreCase(".DEFAULT")) {
                continue;
            }
            RegistryKey hive = RegistryKey.of(Hive.USERS, sid);
            sources.add(new Source(hive.child(USER_UNINSTALL), "", "user", sid, hive.child(USER_PRODUCTS)));
        }
        return sources;
    }

    /** Reads one Uninstall key; false when the key itself could not be read. */
    private boolean readSource(Source source, Set<String> machineProducts, List<Program> found,
            List<RegistryException> problems) {
        List<String> entries;
        try {
            entries = registry.subkeys(source.uninstall());
        } catch (RegistryUnavailableException e) {
            throw e;
        } catch (RegistryException e) {
            LOG.warn("Cannot list {}: {}", source.uninstall(), e.getMessage());
            problems.add(e);
            return false;
        }

        Set<String> products = source.userProducts() == null
                ? machineProducts
                : union(machineProducts, productNames(source.userProducts(), problems));
        for (String entry : entries) {
            RegistryKey key = source.uninstall().child(entry);
            try {
                readEntry(key, entry, source, products).ifPresent(found::add);
            } catch (RegistryUnavailableException e) {
                throw e;
            } catch (RegistryException e) {
                LOG.warn("Skipping unreadable Uninstall entry {}: {}", key, e.getMessage());
                problems.add(e);
            }
        }
        return true;
    }

    private Optional<Program> readEntry(RegistryKey key, String entry, Source source, Set<String> products) {
        RegistryValues values = registry.values(key);
        Optional<ProgramsAndFeaturesFilter.Exclusion> exclusion =
                ProgramsAndFeaturesFilter.exclusion(entry, values, products::contains);
        if (exclusion.isPresent()) {
            LOG.debug("Not listing {}: {}", key, exclusion.get());
            return Optional.empty();
        }

        Program.Builder program = Program.newBuilder()
                .setName(values.text("DisplayName").orElseThrow())
                .setArchitecture(source.architecture())
                .setScope(source.scope())
                .setUserSid(source.userSid())
                .setRegistryKey(key.toString());
        values.text("DisplayVersion").ifPresent(program::setVersion);
        values.text("Publisher").ifPresent(program::setPublisher);
        values.text("InstallDate").map(ProgramsCollector::installDate).ifPresent(program::setInstallDate);
        values.text("InstallLocation").ifPresent(program::setInstallLocation);
        values.text("UninstallString").ifPresent(program::setUninstallString);
        values.number("EstimatedSize").ifPresent(size -> program.setEstimatedSizeKb((int) Math.min(size, 0xFFFFFFFFL)));
        if (PackedGuid.isBracedGuid(entry)) {
            program.setIdentifyingNumber(entry);
        }
        return Optional.of(program.build());
    }

    /** yyyyMMdd becomes yyyy-MM-dd; anything else (installers write many forms) is kept as written. */
    static String installDate(String raw) {
        if (raw.length() == 8 && raw.chars().allMatch(Character::isDigit)) {
            try {
                return LocalDate.parse(raw, COMPACT_DATE).toString();
            } catch (DateTimeException e) {
                return raw;
            }
        }
        return raw;
    }

    /** The packed product codes registered under a Products key, upper case; empty when it cannot be read. */
    private Set<String> productNames(RegistryKey products, List<RegistryException> problems) {
        try {
            Set<String> names = new HashSet<>();
            for (String name : registry.subkeys(products)) {
                names.add(name.toUpperCase(Locale.ROOT));
            }
            return names;
        } catch (RegistryUnavailableException e) {
            throw e;
        } catch (RegistryException e) {
            LOG.warn("Cannot list {}: {}; its MSI products will not be listed", products, e.getMessage());
            problems.add(e);
            return Set.of();
        }
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        Set<String> union = new TreeSet<>(first);
        union.addAll(second);
        return union;
    }

    /** One program per (name, version, architecture, scope): the first in sort order. */
    private static List<Program> deduplicatedAndSorted(List<Program> programs) {
        List<Program> sorted = new ArrayList<>(programs);
        sorted.sort(ORDER);
        Map<List<String>, Program> unique = new LinkedHashMap<>();
        for (Program program : sorted) {
            List<String> identity =
                    List.of(program.getName(), program.getVersion(), program.getArchitecture(), program.getScope());
            unique.putIfAbsent(identity, program);
        }
        return List.copyOf(unique.values());
    }

    /** The listed programs and the reads that failed along the way. */
    record Result(List<Program> programs, List<RegistryException> problems) {
    }

    private record Source(RegistryKey uninstall, String architecture, String scope, String userSid,
            RegistryKey userProducts) {
    }
}
