package io.inventory.inventory;

import io.inventory.proto.OsInfo;
import io.inventory.registry.Hive;
import io.inventory.registry.Registry;
import io.inventory.registry.RegistryKey;
import io.inventory.registry.RegistryValues;
import io.inventory.registry.RegistryView;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Operating system facts from {@code HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion}, always read in the
 * 64-bit view: a 32-bit process would otherwise see the WOW6432Node copy, which an in-place upgrade can leave
 * stale.
 */
final class OsCollector {

    static final RegistryKey CURRENT_VERSION =
            RegistryKey.of(Hive.LOCAL_MACHINE, "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", RegistryView.BIT_64);

    /** The first Windows 11 build; Windows 11 still writes "Windows 10" into ProductName. */
    static final int FIRST_WINDOWS_11_BUILD = 22000;

    private final Registry registry;

    OsCollector(Registry registry) {
        this.registry = registry;
    }

    OsInfo collect() {
        RegistryValues values = registry.values(CURRENT_VERSION);
        if (values.isEmpty() && !registry.exists(CURRENT_VERSION)) {
            throw new SectionFailure(SectionFailure.NOT_FOUND, CURRENT_VERSION + " does not exist");
        }

        OsInfo.Builder os = OsInfo.newBuilder();
        Optional<String> build = values.text("CurrentBuildNumber").or(() -> values.text("CurrentBuild"));
        OptionalLong ubr = values.number("UBR");
        Optional<String> rawName = values.text("ProductName");

        rawName.ifPresent(raw -> {
            os.setProductNameRaw(raw);
            os.setProductName(correctedProductName(raw, build));
        });
        values.text("DisplayVersion").or(() -> values.text("ReleaseId")).ifPresent(os::setDisplayVersion);
        build.ifPresent(os::setCurrentBuild);
        ubr.ifPresent(number -> os.setUbr((int) number));
        values.number("InstallDate").ifPresent(seconds -> os.setInstallDate(rfc3339(seconds)));
        values.text("EditionID").ifPresent(os::setEditionId);
        values.text("InstallationType").ifPresent(os::setInstallationType);
        version(values, build, ubr).ifPresent(os::setVersion);
        return os.build();
    }

    static String correctedProductName(String raw, Optional<String> build) {
        boolean windows11 = build.map(OsCollector::buildNumber).orElse(0L) >= FIRST_WINDOWS_11_BUILD;
        return windows11 && raw.contains("Windows 10") ? raw.replace("Windows 10", "Windows 11") : raw;
    }

    /** major.minor.build.ubr; before Windows 10 there are no major/minor numbers, only CurrentVersion ("6.3"). */
    private static Optional<String> version(RegistryValues values, Optional<String> build, OptionalLong ubr) {
        OptionalLong major = values.number("CurrentMajorVersionNumber");
        OptionalLong minor = values.number("CurrentMinorVersionNumber");
        Optional<String> majorMinor = major.isPresent() && minor.isPresent()
                ? Optional.of(major.getAsLong() + "." + minor.getAsLong())
                : values.text("CurrentVersion");
        if (majorMinor.isEmpty() || build.isEmpty()) {
            return majorMinor;
        }
        String version = majorMinor.get() + "." + build.get();
        return Optional.of(ubr.isPresent() ? version + "." + ubr.getAsLong() : version);
    }

    private static long buildNumber(String build) {
        String digits = build.trim();
        return !digits.isEmpty() && digits.length() < 10 && digits.chars().allMatch(Character::isDigit)
                ? Long.parseLong(digits)
                : 0;
    }

    private static String rfc3339(long epochSeconds) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(epochSeconds));
    }
}
