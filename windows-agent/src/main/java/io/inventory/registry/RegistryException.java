package io.inventory.registry;

/** A registry read that failed; {@link #code()} is the machine-readable reason used in inventory errors. */
public class RegistryException extends RuntimeException {

    private final String code;

    public RegistryException(String code, String message) {
        super(message);
        this.code = code;
    }

    public RegistryException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** For example {@code ACCESS_DENIED}, {@code READ_FAILED}, {@code REGISTRY_UNAVAILABLE}. */
    public String code() {
        return code;
    }
}
