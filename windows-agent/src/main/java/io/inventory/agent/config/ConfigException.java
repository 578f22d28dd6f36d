package io.inventory.agent.config;

/** A setting that is missing or invalid; the message names the setting and where its value came from. */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
