package io.inventory.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.inventory.ProgramsAndFeaturesFilter.Exclusion;
import io.inventory.registry.RegistryValue;
import io.inventory.registry.RegistryValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProgramsAndFeaturesFilterTest {

    private static final String PRODUCT_CODE = "{90160000-008C-0000-0000-0000000FF1CE}";
    private static final Set<String> REGISTERED = Set.of("00006109C80000000000000000F01FEC");

    @Test
    void plainEntryWithDisplayNameIsListed() {
        assertThat(exclusion("app", named("App"))).isEmpty();
    }

    @Test
    void blankDisplayNameIsExcluded() {
        assertThat(exclusion("app", named("   "))).contains(Exclusion.NO_DISPLAY_NAME);
        assertThat(exclusion("app", List.of())).contains(Exclusion.NO_DISPLAY_NAME);
    }

    @Test
    void bareKbNumberIsExcludedButASentenceMentioningOneIsNot() {
        assertThat(exclusion("kb", named("KB5034441"))).contains(Exclusion.KB_UPDATE);
        assertThat(exclusion("kb", named("Update (KB5034441)"))).isEmpty();
    }

    @Test
    void systemComponentIsExcludedUnlessZero() {
        assertThat(exclusion("app", with(named("App"), RegistryValue.ofDword("SystemComponent", 1))))
                .contains(Exclusion.SYSTEM_COMPONENT);
        assertThat(exclusion("app", with(named("App"), RegistryValue.ofDword("SystemComponent", 0)))).isEmpty();
        assertThat(exclusion("app", with(named("App"), RegistryValue.ofString("SystemComponent", "1"))))
                .contains(Exclusion.SYSTEM_COMPONENT);
    }

    @Test
    void entryWithParentIsExcluded() {
        assertThat(exclusion("app", with(named("App"), RegistryValue.ofString("ParentKeyName", "Office"))))
                .contains(Exclusion.HAS_PARENT);
    }

    @Test
    void updateReleaseTypesAreExcludedIgnoringCase() {
        for (String type : List.of("Security Update", "Update Rollup", "Hotfix", "hotfix")) {
            assertThat(exclusion("app", with(named("App"), RegistryValue.ofString("ReleaseType", type))))
                    .as(type).contains(Exclusion.UPDATE_RELEASE_TYPE);
        }
        assertThat(exclusion("app", with(named("App"), RegistryValue.ofString("ReleaseType", "Update")))).isEmpty();
    }

    @Test
    void windowsInstallerEntryNeedsItsPackedProductCodeRegistered() {
        List<RegistryValue> msi = with(named("Office"), RegistryValue.ofDword("WindowsInstaller", 1));

        assertThat(exclusion(PRODUCT_CODE, msi)).isEmpty();
        assertThat(exclusion("{90160000-008C-0000-0000-0000000FF1CF}", msi))
                .contains(Exclusion.MSI_PRODUCT_NOT_REGISTERED);
        assertThat(exclusion("Office", msi)).contains(Exclusion.MSI_PRODUCT_NOT_REGISTERED);
    }

    private static Optional<Exclusion> exclusion(String keyName, List<RegistryValue> values) {
        return ProgramsAndFeaturesFilter.exclusion(keyName, RegistryValues.of(values), REGISTERED::contains);
    }

    private static List<RegistryValue> named(String displayName) {
        return List.of(RegistryValue.ofString("DisplayName", displayName));
    }

    private static List<RegistryValue> with(List<RegistryValue> values, RegistryValue extra) {
        List<RegistryValue> all = new ArrayList<>(values);
        all.add(extra);
        return all;
    }
}
