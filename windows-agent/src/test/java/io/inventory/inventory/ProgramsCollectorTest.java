package io.inventory.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.proto.Program;
import io.inventory.registry.Fixtures;
import io.inventory.registry.KeySelection;
import io.inventory.registry.Registries;
import io.inventory.registry.Registry;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Programs and Features rules over regedit exports holding one Uninstall entry per rule. */
class ProgramsCollectorTest {

    private static final String UNINSTALL_64 =
            "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\";
    private static final String UNINSTALL_32 =
            "HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\";
    private static final String USER_1001 = "S-1-5-21-1000-2000-3000-1001";
    private static final String USER_1002 = "S-1-5-21-1000-2000-3000-1002";

    private static List<Program> programs;

    @BeforeAll
    static void collectTheRulesFixture() throws Exception {
        Registry registry = Registries.open(Fixtures.set("rules"), KeySelection.inventory());
        ProgramsCollector.Result result = new ProgramsCollector(registry).collect();
        assertThat(result.problems()).isEmpty();
        programs = result.programs();
    }

    @Test
    void onlyProgramsAndFeaturesEntriesAreListedInNameOrder() {
        assertThat(programs).extracting(Program::getName).containsExactly(
                "Date Compact", "Date Dashed", "Date Impossible", "Date Slashed", "Duplicate", "Duplicate",
                "Feature Pack", "Legacy 32-bit Tool", "Per-User MSI", "Per-User Program", "Plain Program",
                "Registered MSI", "Second User Tool", "Sized", "Update for Windows (KB5001716)",
                "Visible Component", "Éditeur Crème Brûlée", "日本語ソフト");
    }

    @ParameterizedTest
    @ValueSource(strings = {"System Component", "Child Update", "Security Fix", "Rollup", "Hotfix Thing",
        "Orphaned MSI", "MSI Without Product Code", "KB5034441", "Classes Hive Program"})
    void excludedEntryIsNotListed(String name) {
        assertThat(programs).extracting(Program::getName).doesNotContain(name);
    }

    @Test
    void entriesWithoutDisplayNameAreNotListed() {
        assertThat(programs).extracting(Program::getRegistryKey)
                .noneMatch(key -> key.endsWith("excluded-no-display-name"))
                .noneMatch(key -> key.endsWith("excluded-empty-display-name"));
    }

    @Test
    void registeredMsiIsListedWithItsProductCode() {
        Program msi = named("Registered MSI").get(0);

        assertThat(msi.getIdentifyingNumber()).isEqualTo("{11111111-2222-3333-4444-555555555555}");
        assertThat(msi.getUninstallString()).isEqualTo("MsiExec.exe /X{11111111-2222-3333-4444-555555555555}");
        assertThat(msi.getVersion()).isEqualTo("2.0");
    }

    @Test
    void perUserMsiIsCheckedAgainstThatUsersProducts() {
        Program msi = named("Per-User MSI").get(0);

        assertThat(msi.getScope()).isEqualTo("user");
        assertThat(msi.getUserSid()).isEqualTo(USER_1001);
    }

    @Test
    void installDatesInCompactFormAreDashedAndOthersKeptAsWritten() {
        assertThat(named("Date Compact").get(0).getInstallDate()).isEqualTo("2024-01-31");
        assertThat(named("Date Dashed").get(0).getInstallDate()).isEqualTo("2024-01-31");
        assertThat(named("Date Slashed").get(0).getInstallDate()).isEqualTo("31/01/2024");
        assertThat(named("Date Impossible").get(0).getInstallDate()).isEqualTo("20241340");
    }

    @Test
    void sameProgramInBothViewsIsListedOncePerArchitecture() {
        List<Program> duplicates = named("Duplicate");

        assertThat(duplicates).extracting(Program::getArchitecture).containsExactly("x64", "x86");
        assertThat(duplicates).extracting(Program::getRegistryKey).containsExactly(
                UNINSTALL_64 + "listed-duplicate-a", UNINSTALL_32 + "listed-duplicate-a");
    }

    @Test
    void sameProgramInTwoUserHivesIsListedOnce() {
        List<Program> perUser = named("Per-User Program");

        assertThat(perUser).hasSize(1);
        assertThat(perUser.get(0).getUserSid()).isEqualTo(USER_1001);
        assertThat(named("Second User Tool").get(0).getUserSid()).isEqualTo(USER_1002);
    }

    @Test
    void machineProgramsHaveAnArchitectureAndUserProgramsASid() {
        Program legacy = named("Legacy 32-bit Tool").get(0);
        Program plain = named("Plain Program").get(0);
        Program user = named("Second User Tool").get(0);

        assertThat(legacy.getArchitecture()).isEqualTo("x86");
        assertThat(legacy.getScope()).isEqualTo("machine");
        assertThat(plain.getArchitecture()).isEqualTo("x64");
        assertThat(plain.getUserSid()).isEmpty();
        assertThat(user.getArchitecture()).isEmpty();
        assertThat(user.getRegistryKey()).isEqualTo("HKEY_USERS\\" + USER_1002
                + "\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\listed-user-only");
    }

    @Test
    void unicodeNamesAndPublishersSurvive() {
        assertThat(named("日本語ソフト").get(0).getPublisher()).isEqualTo("株式会社テスト");
        assertThat(named("Éditeur Crème Brûlée").get(0).getPublisher()).isEqualTo("Société Générale");
    }

    @Test
    void sizeAndExpandableLocationAreRead() {
        Program sized = named("Sized").get(0);

        assertThat(sized.getEstimatedSizeKb()).isEqualTo(2048);
        assertThat(sized.getInstallLocation()).isEqualTo("%ProgramFiles%\\Sized");
        assertThat(sized.getIdentifyingNumber()).isEmpty();
    }

    private static List<Program> named(String name) {
        List<Program> found = programs.stream().filter(program -> program.getName().equals(name)).toList();
        assertThat(found).as("programs named %s", name).isNotEmpty();
        return found;
    }
}
