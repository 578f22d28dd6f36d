package io.inventory.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.proto.InventoryDocument;
import io.inventory.registry.Registries;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The inventory of the machine running the tests: runs only on Windows (the windows.yml workflow). */
@EnabledOnOs(OS.WINDOWS)
class LiveInventoryTest {

    @Test
    void thisMachinesInventoryIsCompleteAndNamesIt() throws Exception {
        InventoryCollector collector = new InventoryCollector(Registries.open(List.of()), Clock.systemUTC(), "test");

        InventoryDocument document = collector.collect(Set.of());

        assertThat(document.getErrorsList()).isEmpty();
        assertThat(document.getStatus()).isEqualTo("ok");
        assertThat(document.getHost().getName()).isEqualToIgnoringCase(System.getenv("COMPUTERNAME"));
        assertThat(document.getOs().getProductName()).startsWith("Windows");
        assertThat(document.getOs().getVersion()).startsWith("10.0.");
        assertThat(document.getProgramsList()).isNotEmpty();
    }
}
