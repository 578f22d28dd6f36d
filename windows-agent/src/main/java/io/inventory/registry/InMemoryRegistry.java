package io.inventory.registry;

import java.util.List;

/**
 * A registry built in code, for tests and for callers that assemble keys themselves. Keys given in the 32-bit
 * view are stored under WOW6432Node, so reads in either view behave as they do on 64-bit Windows. Build it on
 * one thread, then read it from any.
 */
public final class InMemoryRegistry implements Registry {

    private final KeyTree tree = new KeyTree("in-memory registry");

    /** Creates the key (and its ancestors) when missing and sets the given values on it. */
    public InMemoryRegistry put(RegistryKey key, RegistryValue... values) {
        KeyTree.Node node = tree.createKey(key.hive(), key.physicalSegments());
        for (RegistryValue value : values) {
            node.putValue(value);
        }
        return this;
    }

    /** Removes the key and everything below it. */
    public InMemoryRegistry delete(RegistryKey key) {
        tree.deleteKey(key.hive(), key.physicalSegments());
        return this;
    }

    @Override
    public boolean exists(RegistryKey key) {
        return tree.exists(key);
    }

    @Override
    public List<String> subkeys(RegistryKey key) {
        return tree.subkeys(key);
    }

    @Override
    public RegistryValues values(RegistryKey key) {
        return tree.values(key);
    }

    @Override
    public String describe() {
        return tree.describe();
    }
}
