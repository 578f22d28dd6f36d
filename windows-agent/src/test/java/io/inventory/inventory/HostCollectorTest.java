package io.inventory.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inventory.proto.HostInfo;
import io.inventory.registry.Hive;
import io.inventory.registry.InMemoryRegistry;
import io.inventory.registry.RegistryKey;
import io.inventory.registry.RegistryValue;
import org.junit.jupiter.api.Test;

class HostCollectorTest {

    @Test
    void nameAndDomainComeFromCurrentControlSet() {
        InMemoryRegistry registry = new InMemoryRegistry()
                .put(key("CurrentControlSet\\Control\\ComputerName\\ComputerName"),
                        RegistryValue.ofString("ComputerName", "SRV-01"))
                .put(key("CurrentControlSet\\Services\\Tcpip\\Parameters"),
                        RegistryValue.ofString("Hostname", "srv-01"),
                        RegistryValue.ofString("Domain", "corp.example.com"));

        HostInfo host = new HostCollector(registry).collect();

        assertThat(host.getName()).isEqualTo("SRV-01");
        assertThat(host.getDomain()).isEqualTo("corp.example.com");
    }

    @Test
    void exportWithoutCurrentControlSetUsesTheSetSelectNames() {
        InMemoryRegistry registry = new InMemoryRegistry()
                .put(key("Select"), RegistryValue.ofDword("Current", 2), RegistryValue.ofDword("LastKnownGood", 1))
                .put(key("ControlSet001\\Control\\ComputerName\\ComputerName"),
                        RegistryValue.ofString("ComputerName", "OLD-NAME"))
                .put(key("ControlSet002\\Control\\ComputerName\\ComputerName"),
                        RegistryValue.ofString("ComputerName", "CURRENT-NAME"));

        HostInfo host = new HostCollector(registry).collect();

        assertThat(host.getName()).isEqualTo("CURRENT-NAME");
        assertThat(host.getDomain()).isEmpty();
    }

    @Test
    void tcpipHostnameIsTheFallbackForTheName() {
        InMemoryRegistry registry = new InMemoryRegistry()
                .put(key("CurrentControlSet\\Services\\Tcpip\\Parameters"),
                        RegistryValue.ofString("Hostname", "laptop-7"));

        HostInfo host = new HostCollector(registry).collect();

        assertThat(host.getName()).isEqualTo("laptop-7");
    }

    @Test
    void noNameAnywhereIsNotFound() {
        InMemoryRegistry registry = new InMemoryRegistry().put(key("Select"), RegistryValue.ofDword("Current", 1));

        assertThatThrownBy(() -> new HostCollector(registry).collect())
                .isInstanceOfSatisfying(SectionFailure.class, e -> {
                    assertThat(e.code()).isEqualTo(SectionFailure.NOT_FOUND);
                    assertThat(e.getMessage()).contains("ControlSet001\\Control\\ComputerName\\ComputerName");
                });
    }

    @Test
    void noControlSetAtAllIsNotFound() {
        InMemoryRegistry registry = new InMemoryRegistry();

        assertThatThrownBy(() -> new HostCollector(registry).collect())
                .isInstanceOfSatisfying(SectionFailure.class,
                        e -> assertThat(e.getMessage()).contains("SYSTEM\\Select"));
    }

    private static RegistryKey key(String path) {
        return RegistryKey.of(Hive.LOCAL_MACHINE, "SYSTEM\\" + path);
    }
}
