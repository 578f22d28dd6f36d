package io.inventory.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inventory.proto.OsInfo;
import io.inventory.registry.InMemoryRegistry;
import io.inventory.registry.RegistryValue;
import io.inventory.registry.RegistryView;
import org.junit.jupiter.api.Test;

class OsCollectorTest {

    @Test
    void windows11ThatStillSaysWindows10IsReportedAsWindows11WithTheRawNameKept() {
        InMemoryRegistry registry = new InMemoryRegistry().put(OsCollector.CURRENT_VERSION,
                RegistryValue.ofString("ProductName", "Windows 10 Enterprise"),
                RegistryValue.ofString("CurrentBuildNumber", "22631"));

        OsInfo os = new OsCollector(registry).collect();

        assertThat(os.getProductName()).isEqualTo("Windows 11 Enterprise");
        assertThat(os.getProductNameRaw()).isEqualTo("Windows 10 Enterprise");
    }

    @Test
    void windows10BuildKeepsItsName() {
        InMemoryRegistry registry = new InMemoryRegistry().put(OsCollector.CURRENT_VERSION,
                RegistryValue.ofString("ProductName", "Windows 10 Pro"),
                RegistryValue.ofString("CurrentBuildNumber", "19045"));

        OsInfo os = new OsCollector(registry).collect();

        assertThat(os.getProductName()).isEqualTo("Windows 10 Pro");
    }

    @Test
    void serverNamesAreNeverRewritten() {
        InMemoryRegistry registry = new InMemoryRegistry().put(OsCollector.CURRENT_VERSION,
                RegistryValue.ofString("ProductName", "Windows Server 2025 Datacenter"),
                RegistryValue.ofString("CurrentBuildNumber", "26100"),
                RegistryValue.ofString("InstallationType", "Server Core"));

        OsInfo os = new OsCollector(registry).collect();

        assertThat(os.getProductName()).isEqualTo("Windows Server 2025 Datacenter");
        assertThat(os.getInstallationType()).isEqualTo("Server Core");
    }

    @Test
    void everyFieldIsReadFromAWindows11CurrentVersion() {
        InMemoryRegistry registry = new InMemoryRegistry().put(OsCollector.CURRENT_VERSION,
                RegistryValue.ofString("ProductName", "Windows 10 Pro"),
                RegistryValue.ofString("DisplayVersion", "23H2"),
                RegistryValue.ofString("ReleaseId", "2009"),
                RegistryValue.ofString("CurrentBuild", "22631"),
                RegistryValue.ofDword("UBR", 4460),
                RegistryValue.ofDword("InstallDate", 1_699_879_543L),
                RegistryValue.ofString("EditionID", "Professional"),
                RegistryValue.ofDword("CurrentMajorVersionNumber", 10),
                RegistryValue.ofDword("CurrentMinorVersionNumber", 0),
                RegistryValue.ofString("CurrentVersion", "6.3"),
                RegistryValue.ofString("InstallationType", "Client"));

        OsInfo os = new OsCollector(registry).collect();

        assertThat(os.getProductName()).isEqualTo("Windows 11 Pro");
        assertThat(os.getDisplayVersion()).isEqualTo("23H2");
        assertThat(os.getCurrentBuild()).isEqualTo("22631");
        assertThat(os.getUbr()).isEqualTo(4460);
        assertThat(os.getInstallDate()).isEqualTo("2023-11-13T12:45:43Z");
        assertThat(os.getEditionId()).isEqualTo("Professional");
        assertThat(os.getVersion()).isEqualTo("10.0.22631.4460");
        assertThat(os.getInstallationType()).isEqualTo("Client");
    }

    @Test
    void olderBuildsFallBackToReleaseIdAndCurrentVersion() {
        InMemoryRegistry registry = new InMemoryRegistry().put(OsCollector.CURRENT_VERSION,
                RegistryValue.ofString("ProductName", "Windows 8.1 Pro"),
                RegistryValue.ofString("ReleaseId", "1909"),
                RegistryValue.ofString("CurrentBuildNumber", "9600"),
                RegistryValue.ofDword("UBR", 20000),
                RegistryValue.ofString("CurrentVersion", "6.3"));

        OsInfo os = new OsCollector(registry).collect();

        assertThat(os.getDisplayVersion()).isEqualTo("1909");
        assertThat(os.getVersion()).isEqualTo("6.3.9600.20000");
    }

    @Test
    void missingUbrLeavesItOutOfTheVersion() {
        InMemoryRegistry registry = new InMemoryRegistry().put(OsCollector.CURRENT_VERSION,
                RegistryValue.ofString("CurrentBuildNumber", "22000"),
                RegistryValue.ofDword("CurrentMajorVersionNumber", 10),
                RegistryValue.ofDword("CurrentMinorVersionNumber", 0));

        OsInfo os = new OsCollector(registry).collect();

        assertThat(os.getVersion()).isEqualTo("10.0.22000");
        assertThat(os.getProductName()).isEmpty();
    }

    @Test
    void the64BitViewIsReadWhenThe32BitCopyIsStale() {
        InMemoryRegistry registry = new InMemoryRegistry()
                .put(OsCollector.CURRENT_VERSION,
                        RegistryValue.ofString("ProductName", "Windows 10 Pro"),
                        RegistryValue.ofString("CurrentBuildNumber", "22631"))
                .put(OsCollector.CURRENT_VERSION.inView(RegistryView.BIT_32),
                        RegistryValue.ofString("ProductName", "Windows 10 Pro"),
                        RegistryValue.ofString("CurrentBuildNumber", "19045"));

        OsInfo os = new OsCollector(registry).collect();

        assertThat(os.getCurrentBuild()).isEqualTo("22631");
        assertThat(os.getProductName()).isEqualTo("Windows 11 Pro");
    }

    @Test
    void missingCurrentVersionKeyIsNotFound() {
        InMemoryRegistry registry = new InMemoryRegistry();

        assertThatThrownBy(() -> new OsCollector(registry).collect())
                .isInstanceOfSatisfying(SectionFailure.class, e -> {
                    assertThat(e.code()).isEqualTo(SectionFailure.NOT_FOUND);
                    assertThat(e.getMessage()).contains("Windows NT\\CurrentVersion");
                });
    }
}
