package io.inventory.agent.config;

/**
 * Every setting the agent reads, with its name in {@code agent.properties}, its environment variable and its
 * default. A command-line flag wins over the environment, which wins over the properties file, which wins over
 * the default.
 */
public enum ConfigKey {
    TASK_QUEUE_NAME("task.queue.name", "TASK_QUEUE_NAME", "inventory_tasks"),
    TASK_QUEUE_URL("task.queue.url", "TASK_QUEUE_URL", null),
    RESULT_QUEUE_NAME("result.queue.name", "RESULT_QUEUE_NAME", "inventory_results"),
    RESULT_QUEUE_URL("result.queue.url", "RESULT_QUEUE_URL", null),
    REGION("aws.region", "AWS_REGION", null),
    ENDPOINT_URL("aws.endpoint.url", "AWS_ENDPOINT_URL", null),
    WORKERS("workers", "AGENT_WORKERS", "2"),
    MAX_MESSAGE_BYTES("max.message.bytes", "MAX_MESSAGE_BYTES", "262144"),
    WAIT_SECONDS("poll.wait.seconds", "POLL_WAIT_SECONDS", "20"),
    STOP_TIMEOUT_SECONDS("stop.timeout.seconds", "STOP_TIMEOUT_SECONDS", "20"),
    HEALTH_PORT("health.port", "HEALTH_PORT", "50151"),
    UNHEALTHY_AFTER("health.unhealthy.after", "HEALTH_UNHEALTHY_AFTER", "3"),
    REGISTRY_FILES("registry.files", "REGISTRY_FILES", null),
    LOG_DIR("log.dir", "LOG_DIR", null),
    LOG_LEVEL("log.level", "LOG_LEVEL", "INFO");

    private final String property;
    private final String environmentVariable;
    private final String defaultValue;

    ConfigKey(String property, String environmentVariable, String defaultValue) {
        this.property = property;
        this.environmentVariable = environmentVariable;
        this.defaultValue = defaultValue;
    }

    /** The key in {@code agent.properties}. */
    public String property() {
        return property;
    }

    public String environmentVariable() {
        return environmentVariable;
    }

    /** The built-in default, or null when the setting has none. */
    public String defaultValue() {
        return defaultValue;
    }

    static ConfigKey fromProperty(String name) {
        for (ConfigKey key : values()) {
            if (key.property.equals(name)) {
                return key;
            }
        }
        return null;
    }
}
