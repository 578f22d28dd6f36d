package io.inventory.inventory;

import io.inventory.registry.RegistryValues;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Decides which Uninstall entries are programs a user would see in "Programs and Features", by the rules AWS
 * Systems Manager Inventory applies; everything else under Uninstall is updates, components and leftovers.
 */
final class ProgramsAndFeaturesFilter {

    /** Why an entry is not listed. */
    enum Exclusion {
        NO_DISPLAY_NAME,
        KB_UPDATE,
        SYSTEM_COMPONENT,
        HAS_PARENT,
        UPDATE_RELEASE_TYPE,
        MSI_PRODUCT_NOT_REGISTERED
    }

    private static final Pattern KB_NUMBER = Pattern.compile("KB\\d+", Pattern.CASE_INSENSITIVE);

    private static final Set<String> UPDATE_RELEASE_TYPES = Set.of("security update", "update rollup", "hotfix");

    private ProgramsAndFeaturesFilter() {
    }

    /**
     * Why the entry named {@code keyName} is excluded, or empty when it is listed. {@code registeredProduct}
     * says whether a packed product code exists under {@code Installer\Products}.
     */
    static Optional<Exclusion> exclusion(String keyName, RegistryValues values, Predicate<String> registeredProduct) {
        Optional<String> displayName = values.text("DisplayName");
        if (displayName.isEmpty()) {
            return Optional.of(Exclusion.NO_DISPLAY_NAME);
        }
        if (KB_NUMBER.matcher(displayName.get()).matches()) {
            return Optional.of(Exclusion.KB_UPDATE);
        }
        if (values.contains("SystemComponent") && values.number("SystemComponent").orElse(-1) != 0) {
            return Optional.of(Exclusion.SYSTEM_COMPONENT);
        }
        if (values.text("ParentKeyName").isPresent()) {
            return Optional.of(Exclusion.HAS_PARENT);
        }
        Optional<String> releaseType = values.text("ReleaseType").map(type -> type.toLowerCase(Locale.ROOT));
        if (releaseType.isPresent() && UPDATE_RELEASE_TYPES.contains(releaseType.get())) {
            return Optional.of(Exclusion.UPDATE_RELEASE_TYPE);
        }
        OptionalLong windowsInstaller = values.number("WindowsInstaller");
        if (windowsInstaller.isPresent() && windowsInstaller.getAsLong() == 1) {
            boolean registered = PackedGuid.pack(keyName).filter(registeredProduct).isPresent();
            if (!registered) {
                return Optional.of(Exclusion.MSI_PRODUCT_NOT_REGISTERED);
            }
        }
        return Optional.empty();
    }
}
