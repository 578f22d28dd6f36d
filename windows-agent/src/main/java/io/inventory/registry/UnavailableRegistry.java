package io.inventory.registry;

import java.util.List;

/** The registry of a machine that has none: every read fails with {@link RegistryUnavailableException}. */
final class UnavailableRegistry implements Registry {

    private final String reason;

    UnavailableRegistry(String reason) {
        this.reason = reason;
    }

    @Override
    public boolean exists(RegistryKey key) {
        throw unavailable(key);
    }

    @Override
    public List<String> subkeys(RegistryKey key) {
        throw unavailable(key);
    }

    @Override
    public RegistryValues values(RegistryKey key) {
        throw unavailable(key);
    }

    @Override
    public String describe() {
        return "no registry (" + reason + ")";
    }

    private RegistryUnavailableException unavailable(RegistryKey key) {
        return new RegistryUnavailableException("cannot read " + key + ": " + reason);
    }
}
