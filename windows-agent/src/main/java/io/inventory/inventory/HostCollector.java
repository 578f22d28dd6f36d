package io.inventory.inventory;

import io.inventory.proto.HostInfo;
import io.inventory.registry.Hive;
import io.inventory.registry.Registry;
import io.inventory.registry.RegistryKey;
import io.inventory.registry.RegistryValues;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The computer name and DNS domain from the registry. An export of a live system has ControlSet001 and so on
 * rather than CurrentControlSet, which is then resolved through {@code HKLM\SYSTEM\Select\Current}.
 */
final class HostCollector {

    private static final RegistryKey SYSTEM = RegistryKey.of(Hive.LOCAL_MACHINE, "SYSTEM");
    private static final String COMPUTER_NAME = "Control\\ComputerName\\ComputerName";
    private static final String TCPIP = "Services\\Tcpip\\Parameters";

    private final Registry registry;

    HostCollector(Registry registry) {
        this.registry = registry;
    }

    HostInfo collect() {
        RegistryKey controlSet = currentControlSet();
        RegistryValues computerName = registry.values(controlSet.child(COMPUTER_NAME));
        RegistryValues tcpip = registry.values(controlSet.child(TCPIP));

        Optional<String> name = computerName.text("ComputerName").or(() -> tcpip.text("Hostname"));
        if (name.isEmpty()) {
            throw new SectionFailure(SectionFailure.NOT_FOUND, "no ComputerName in " + controlSet.child(COMPUTER_NAME)
                    + " and no Hostname in " + controlSet.child(TCPIP));
        }

        HostInfo.Builder host = HostInfo.newBuilder().setName(name.get());
        tcpip.text("Domain").ifPresent(host::setDomain);
        return host.build();
    }

    private RegistryKey currentControlSet() {
        RegistryKey current = SYSTEM.child("CurrentControlSet");
        if (registry.exists(current)) {
            return current;
        }
        OptionalLong selected = registry.values(SYSTEM.child("Select")).number("Current");
        if (selected.isPresent()) {
            return SYSTEM.child(String.format("ControlSet%03d", selected.getAsLong()));
        }
        throw new SectionFailure(SectionFailure.NOT_FOUND,
                "neither " + current + " nor " + SYSTEM.child("Select") + " Current exists");
    }
}
