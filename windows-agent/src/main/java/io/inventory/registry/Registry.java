package io.inventory.registry;

import java.util.List;

/**
 * Read-only access to a Windows registry: the live one, one built from .reg exports, or one built in memory.
 * A key that does not exist has no subkeys and no values; {@link #exists} tells it apart from an empty key.
 * Every method throws {@link RegistryException} when the registry cannot be read at all (see
 * {@link RegistryUnavailableException}) or the key cannot be read (for example access denied).
 */
public interface Registry {

    /** Whether the key exists. */
    boolean exists(RegistryKey key);

    /** The names of the key's direct subkeys, sorted ignoring case; empty when the key does not exist. */
    List<String> subkeys(RegistryKey key);

    /** The key's values; empty when the key does not exist. */
    RegistryValues values(RegistryKey key);

    /** Where this registry's data comes from, for logs and error messages ({@code live}, a file list, ...). */
    String describe();
}
