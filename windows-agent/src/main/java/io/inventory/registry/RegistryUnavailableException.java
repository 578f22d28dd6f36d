package io.inventory.registry;

/** There is no registry to read: not on Windows and no .reg export given, or the native access failed to load. */
public final class RegistryUnavailableException extends RegistryException {

    public static final String CODE = "REGISTRY_UNAVAILABLE";

    public RegistryUnavailableException(String message) {
        super(CODE, message);
    }

    public RegistryUnavailableException(String message, Throwable cause) {
        super(CODE, message, cause);
    }
}
