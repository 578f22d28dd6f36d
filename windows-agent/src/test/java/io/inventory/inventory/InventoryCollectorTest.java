package io.inventory.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.commands.Section;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.OsInfo;
import io.inventory.proto.Program;
import io.inventory.proto.SectionError;
import io.inventory.registry.Fixtures;
import io.inventory.registry.Hive;
import io.inventory.registry.InMemoryRegistry;
import io.inventory.registry.KeySelection;
import io.inventory.registry.Registries;
import io.inventory.registry.Registry;
import io.inventory.registry.RegistryException;
import io.inventory.registry.RegistryKey;
import io.inventory.registry.RegistryUnavailableException;
import io.inventory.registry.RegistryValue;
import io.inventory.registry.RegistryValues;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

class InventoryCollectorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC);
    private static final String SAMPLE_SID = "S-1-5-21-3623811015-3361044348-30300820-1013";

    @Test
    void workstationExportGivesTheWholeDocument() throws Exception {
        Registry registry = Registries.open(Fixtures.set("workstation"));

        InventoryDocument document = collect(registry, Set.of());

        assertThat(document.getSchema()).isEqualTo("inventory/v1");
        assertThat(document.getStatus()).isEqualTo("ok");
        assertThat(document.getErrorsList()).isEmpty();
        assertThat(document.getCollectedAt()).isEqualTo("2026-01-02T03:04:05.678Z");
        assertThat(document.getAgent().getVersion()).isEqualTo("1.2.3");
        assertThat(document.getTaskId()).isEmpty();
        assertThat(document.getHost().getName()).isEqualTo("WS-ACCT-042");
        assertThat(document.getHost().getDomain()).isEqualTo("corp.example.com");
        assertThat(document.getOs()).isEqualTo(OsInfo.newBuilder()
                .setProductName("Windows 11 Pro")
                .setProductNameRaw("Windows 10 Pro")
                .setDisplayVersion("23H2")
                .setCurrentBuild("22631")
                .setUbr(4460)
                .setInstallDate("2023-11-13T12:45:43Z")
                .setEditionId("Professional")
                .setVersion("10.0.22631.4460")
                .setInstallationType("Client")
                .build());
        assertThat(document.getProgramsList()).hasSize(32);
        assertThat(document.getSectionCollectedAtMap()).containsOnly(
                Map.entry("host", "2026-01-02T03:04:05.678Z"),
                Map.entry("os", "2026-01-02T03:04:05.678Z"),
                Map.entry("programs", "2026-01-02T03:04:05.678Z"));
    }

    @Test
    void workstationProgramsAreTheOnesProgramsAndFeaturesShows() throws Exception {
        Registry registry = Registries.open(Fixtures.set("workstation"));

        List<Program> programs = collect(registry, Set.of(Section.PROGRAMS)).getProgramsList();

        assertThat(programs).extracting(Program::getName)
                .contains("7-Zip 23.01 (x64)", "Adobe Acrobat Reader DC", "Google Chrome", "秀丸エディタ",
                        "Sage 100 Comptabilité", "Microsoft Visual Studio Code (User)", "Spotify")
                .doesNotContain("Contoso Legacy Agent", "KB5034441", "Zoom Outlook Plugin",
                        "Office 16 Click-to-Run Extensibility Component",
                        "Security Update for Microsoft .NET Framework 4.8 (KB5033914)")
                .filteredOn(name -> name.equals("Microsoft OneDrive")).hasSize(1);
        assertThat(programs).filteredOn(program -> program.getName().equals("Zoom"))
                .extracting(Program::getVersion).containsExactly("5.16.10 (26186)", "5.17.5 (30853)");
        Program acrobat = programs.stream().filter(p -> p.getName().equals("Adobe Acrobat Reader DC")).findFirst()
                .orElseThrow();
        assertThat(acrobat.getArchitecture()).isEqualTo("x86");
        assertThat(acrobat.getIdentifyingNumber()).isEqualTo("{AC76BA86-7AD7-1033-7B44-AC0F074E4100}");
        assertThat(acrobat.getInstallDate()).isEqualTo("2023-12-12");
        assertThat(acrobat.getEstimatedSizeKb()).isEqualTo(540000);
        Program code = programs.stream().filter(p -> p.getName().startsWith("Microsoft Visual Studio Code"))
                .findFirst().orElseThrow();
        assertThat(code.getScope()).isEqualTo("user");
        assertThat(code.getUserSid()).isEqualTo(SAMPLE_SID);
    }

    @Test
    void bundledSampleGivesTheSameDocumentAsTheSeparateExports() throws Exception {
        Registry separate = Registries.open(Fixtures.set("workstation"));
        Registry sample = Registries.open(List.of(Path.of("..", "samples", "workstation.reg")));

        InventoryDocument fromSample = collect(sample, Set.of());

        assertThat(fromSample).isEqualTo(collect(separate, Set.of()));
    }

    @Test
    void inventorySelectionKeepsEverythingTheCollectorsRead() throws Exception {
        Registry everything = Registries.open(Fixtures.set("workstation"), KeySelection.everything());
        Registry selected = Registries.open(Fixtures.set("workstation"), KeySelection.inventory());

        InventoryDocument fromSelected = collect(selected, Set.of());

        assertThat(fromSelected).isEqualTo(collect(everything, Set.of()));
        assertThat(selected.exists(RegistryKey.of(Hive.LOCAL_MACHINE,
                "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon"))).isFalse();
    }

    @Test
    void onlyTheRequestedSectionsAndTheHostAreCollected() throws Exception {
        Registry registry = Registries.open(Fixtures.set("workstation"));

        InventoryDocument document = collect(registry, Set.of(Section.OS));

        assertThat(document.hasOs()).isTrue();
        assertThat(document.getProgramsList()).isEmpty();
        assertThat(document.getHost().getName()).isEqualTo("WS-ACCT-042");
        assertThat(document.getStatus()).isEqualTo("ok");
        assertThat(document.getSectionCollectedAtMap()).as("programs were not asked for, so they are not covered")
                .containsOnlyKeys("host", "os");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void withoutAnyRegistryEverySectionFailsAndTheStatusIsError() throws Exception {
        Registry none = Registries.open(List.of());

        InventoryDocument document = collect(none, Set.of());

        assertThat(document.getStatus()).isEqualTo("error");
        assertThat(document.getErrorsList()).extracting(SectionError::getSection)
                .containsExactly("host", "os", "programs");
        assertThat(document.getErrorsList()).extracting(SectionError::getCode)
                .containsOnly(RegistryUnavailableException.CODE);
        assertThat(document.getErrors(0).getMessage()).contains("not Windows");
        assertThat(document.getSchema()).isEqualTo("inventory/v1");
        assertThat(document.getCollectedAt()).isNotEmpty();
        assertThat(document.getSectionCollectedAtMap()).isEmpty();
    }

    @Test
    void aSectionThatCannotBeReadIsRecordedAndTheOthersAreStillCollected() throws Exception {
        Registry registry = failing(Registries.open(Fixtures.set("workstation")),
                key -> key.path().contains("Uninstall") || key.hive() == Hive.USERS,
                () -> new RegistryException("ACCESS_DENIED", "cannot read: access denied"));

        InventoryDocument document = collect(registry, Set.of());

        assertThat(document.getStatus()).isEqualTo("partial");
        assertThat(document.getErrorsList()).singleElement().satisfies(error -> {
            assertThat(error.getSection()).isEqualTo("programs");
            assertThat(error.getCode()).isEqualTo("ACCESS_DENIED");
        });
        assertThat(document.getOs().getProductName()).isEqualTo("Windows 11 Pro");
        assertThat(document.getProgramsList()).isEmpty();
        assertThat(document.getSectionCollectedAtMap()).as("no program could be read: the section is not covered")
                .containsOnlyKeys("host", "os");
    }

    @Test
    void anUnreadableEntryIsReportedAndTheOtherProgramsAreKept() throws Exception {
        Registry registry = failing(Registries.open(Fixtures.set("workstation")),
                key -> key.path().endsWith("\\Uninstall\\Git_is1"),
                () -> new RegistryException("ACCESS_DENIED", "cannot read Git_is1: access denied"));

        InventoryDocument document = collect(registry, Set.of(Section.PROGRAMS));

        assertThat(document.getStatus()).isEqualTo("partial");
        assertThat(document.getProgramsList()).hasSize(31).extracting(Program::getName).doesNotContain("Git");
        assertThat(document.getErrors(0).getSection()).isEqualTo("programs");
        assertThat(document.getErrors(0).getMessage()).contains("Git_is1");
        assertThat(document.getSectionCollectedAtMap()).as("the programs read are newer data, with their error")
                .containsOnlyKeys("host", "programs");
    }

    @Test
    void anUnexpectedFailureInOneSectionIsRecordedAsInternal() throws Exception {
        Registry registry = failing(Registries.open(Fixtures.set("workstation")),
                key -> key.path().endsWith("Windows NT\\CurrentVersion"),
                () -> new IllegalStateException("bug in a collector"));

        InventoryDocument document = collect(registry, Set.of());

        assertThat(document.getStatus()).isEqualTo("partial");
        assertThat(document.getErrorsList()).singleElement().satisfies(error -> {
            assertThat(error.getSection()).isEqualTo("os");
            assertThat(error.getCode()).isEqualTo("INTERNAL");
            assertThat(error.getMessage()).contains("bug in a collector");
        });
        assertThat(document.getProgramsList()).hasSize(32);
        assertThat(document.getSectionCollectedAtMap()).containsOnlyKeys("host", "programs");
    }

    @Test
    void aHostWithoutWindowsKeysReportsWhatIsMissing() {
        InMemoryRegistry registry = new InMemoryRegistry().put(
                RegistryKey.of(Hive.LOCAL_MACHINE, "SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName"),
                RegistryValue.ofString("ComputerName", "BARE"));

        InventoryDocument document = collect(registry, Set.of());

        assertThat(document.getStatus()).isEqualTo("partial");
        assertThat(document.getHost().getName()).isEqualTo("BARE");
        assertThat(document.getErrorsList()).extracting(SectionError::getSection, SectionError::getCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("os", "NOT_FOUND"));
        assertThat(document.getProgramsList()).isEmpty();
    }

    private static InventoryDocument collect(Registry registry, Set<Section> sections) {
        return new InventoryCollector(registry, CLOCK, "1.2.3").collect(sections);
    }

    /** A registry that fails for some keys: the narrow seam that stands in for access-denied keys. */
    private static Registry failing(Registry delegate, Predicate<RegistryKey> failsFor,
            Supplier<RuntimeException> failure) {
        return new Registry() {
            @Override
            public boolean exists(RegistryKey key) {
                check(key);
                return delegate.exists(key);
            }

            @Override
            public List<String> subkeys(RegistryKey key) {
                check(key);
                return delegate.subkeys(key);
            }

            @Override
            public RegistryValues values(RegistryKey key) {
                check(key);
                return delegate.values(key);
            }

            @Override
            public String describe() {
                return "failing " + delegate.describe();
            }

            private void check(RegistryKey key) {
                if (failsFor.test(key)) {
                    throw failure.get();
                }
            }
        };
    }
}
