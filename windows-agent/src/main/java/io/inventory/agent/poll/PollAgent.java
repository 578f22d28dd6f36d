package io.inventory.agent.poll;

import io.inventory.agent.collect.TaskCollector;
import io.inventory.agent.config.AgentConfig;
import io.inventory.agent.config.ConfigException;
import io.inventory.agent.config.ConfigKey;
import io.inventory.agent.health.HealthEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * A running poll-mode agent assembled from the configuration: the SQS client, the queue URLs, the health endpoint
 * and the {@link TaskPoller}. Used by {@code inventory-agent poll} and by the Windows service.
 */
public final class PollAgent {

    private static final Logger LOG = LoggerFactory.getLogger(PollAgent.class);

    private final SqsClient sqs;
    private final TaskPoller poller;
    private final HealthEndpoint health;
    private final PollSettings settings;

    private PollAgent(SqsClient sqs, TaskPoller poller, HealthEndpoint health, PollSettings settings) {
        this.sqs = sqs;
        this.poller = poller;
        this.health = health;
        this.settings = settings;
    }

    /**
     * Validates the configuration, resolves the queues and starts polling.
     *
     * @param environment the process environment, for the host name fallback ({@code COMPUTERNAME})
     * @throws ConfigException      when a setting is invalid, a queue does not exist, the credentials or region
     *                              cannot be found, or the health port cannot be bound
     * @throws InterruptedException when interrupted while waiting for the queues to become reachable
     */
    public static PollAgent start(AgentConfig config, TaskCollector collector, Map<String, String> environment,
                                  Clock clock, String agentVersion) throws ConfigException, InterruptedException {
        int workers = config.integer(ConfigKey.WORKERS, 1, 64);
        int maxMessageBytes = config.integer(ConfigKey.MAX_MESSAGE_BYTES, 1024, 1024 * 1024);
        int waitSeconds = config.integer(ConfigKey.WAIT_SECONDS, 0, 20);
        int stopTimeout = config.integer(ConfigKey.STOP_TIMEOUT_SECONDS, 1, 3600);
        int healthPort = config.integer(ConfigKey.HEALTH_PORT, 0, 65535);
        int unhealthyAfter = config.integer(ConfigKey.UNHEALTHY_AFTER, 1, 1000);
        Optional<URI> taskUrl = config.url(ConfigKey.TASK_QUEUE_URL);
        Optional<URI> resultUrl = config.url(ConfigKey.RESULT_QUEUE_URL);
        String taskName = config.queueName(ConfigKey.TASK_QUEUE_NAME);
        String resultName = config.queueName(ConfigKey.RESULT_QUEUE_NAME);
        SqsClient sqs = client(config, waitSeconds);

        HealthEndpoint health = null;
        try {
            String taskQueue = resolve(sqs, taskName, taskUrl);
            String resultQueue = resolve(sqs, resultName, resultUrl);
            int resultLimit = fitToQueue(sqs, resultQueue, maxMessageBytes);
            PollSettings settings = PollSettings.of(taskQueue, resultQueue, workers, resultLimit, waitSeconds,
                    Duration.ofSeconds(stopTimeout), unhealthyAfter, hostName(environment));
            health = healthPort == 0 ? null : startHealth(healthPort, unhealthyAfter);
            TaskPoller poller = new TaskPoller(sqs, settings, collector,
                    health == null ? QueueHealth.NONE : health, clock, agentVersion);
            poller.start();
            return new PollAgent(sqs, poller, health, settings);
        } catch (ConfigException | InterruptedException | RuntimeException e) {
            closeQuietly(health);
            sqs.close();
            throw e;
        }
    }

    public PollSettings settings() {
        return settings;
    }

    /** The health endpoint's port, or 0 when it is disabled. */
    public int healthPort() {
        return health == null ? 0 : health.port();
    }

    /** The longest a {@link #stop()} can take: the drain bound plus one long poll. */
    public Duration stopBound() {
        return settings.stopTimeout().multipliedBy(2).plusSeconds(settings.waitSeconds() + 10L);
    }

    /** Stops polling (see {@link TaskPoller#stop()}) and closes the client and the health endpoint. */
    public void stop() throws InterruptedException {
        poller.stop();
        closeQuietly(health);
        sqs.close();
    }

    public void awaitStopped() throws InterruptedException {
        poller.awaitStopped();
    }

    private static SqsClient client(AgentConfig config, int waitSeconds) throws ConfigException {
        Optional<URI> endpoint = config.url(ConfigKey.ENDPOINT_URL);
        SqsClientBuilder builder = SqsClient.builder()
                // The socket must outlive the long poll, or every empty receive would look like an outage.
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(waitSeconds + 20L)));
        config.text(ConfigKey.REGION).ifPresent(region -> builder.region(Region.of(region)));
        endpoint.ifPresent(builder::endpointOverride);
        try {
            return builder.build();
        } catch (SdkClientException e) {
            throw new ConfigException("no AWS region: set " + ConfigKey.REGION.property() + " or AWS_REGION ("
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * The queue's URL: the configured one, checked with one call, or the name's URL from GetQueueUrl. Network
     * trouble is waited out (a service can start before the network is up); what retrying cannot fix fails at
     * once: a missing queue, missing credentials, access denied.
     */
    private static String resolve(SqsClient sqs, String name, Optional<URI> url)
            throws ConfigException, InterruptedException {
        String label = url.map(URI::toString).orElse(name);
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
        while (true) {
            try {
                if (url.isPresent()) {
                    sqs.getQueueAttributes(request -> request.queueUrl(url.get().toString())
                            .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT));
                    return url.get().toString();
                }
                return sqs.getQueueUrl(request -> request.queueName(name)).queueUrl();
            } catch (QueueDoesNotExistException e) {
                throw new ConfigException("queue '" + label + "' does not exist (check the queue names or URLs, "
                        + "AWS_REGION and the account)", e);
            } catch (AwsServiceException e) {
                if (e.statusCode() >= 400 && e.statusCode() < 500 && !e.isThrottlingException()) {
                    throw new ConfigException("queue '" + label + "' cannot be used: " + e.getMessage(), e);
                }
                waitBeforeRetry(label, e, backoff);
            } catch (SdkClientException e) {
                if (isConfiguration(e)) {
                    throw new ConfigException("queue '" + label + "' cannot be used: " + e.getMessage(), e);
                }
                waitBeforeRetry(label, e, backoff);
            }
        }
    }

    /**
     * The configured message limit, lowered to the result queue's own MaximumMessageSize when that is smaller, so a
     * result the queue would refuse becomes RESULT_TOO_LARGE rather than a send that fails forever.
     */
    static int fitToQueue(SqsClient sqs, String queueUrl, int configured) {
        try {
            String value = sqs.getQueueAttributes(request -> request.queueUrl(queueUrl)
                    .attributeNames(QueueAttributeName.MAXIMUM_MESSAGE_SIZE)).attributes()
                    .get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE);
            int queueLimit = value == null ? 0 : Integer.parseInt(value);
            if (queueLimit > 0 && queueLimit < configured) {
                LOG.warn("max.message.bytes {} is above the result queue's MaximumMessageSize {}; using {}",
                        configured, queueLimit, queueLimit);
                return queueLimit;
            }
        } catch (SdkException | NumberFormatException e) {
            LOG.debug("Cannot read MaximumMessageSize of {}, keeping {}: {}", queueUrl, configured, e.toString());
        }
        return configured;
    }

    private static boolean isConfiguration(SdkClientException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("credentials") || message.contains("region");
    }

    private static void waitBeforeRetry(String name, SdkException e, Backoff backoff) throws InterruptedException {
        Duration delay = backoff.nextDelay();
        LOG.warn("Cannot reach queue '{}' yet, retrying in {} ms: {}", name, delay.toMillis(), e.getMessage());
        TimeUnit.MILLISECONDS.sleep(delay.toMillis());
    }

    private static HealthEndpoint startHealth(int port, int unhealthyAfter) throws ConfigException {
        try {
            return HealthEndpoint.start(port, unhealthyAfter);
        } catch (IOException e) {
            throw new ConfigException("health.port " + port + " cannot be used (" + e.getMessage()
                    + "); choose another port or 0 to disable the health service", e);
        }
    }

    /** COMPUTERNAME on Windows, else what the network stack calls this host. */
    static String hostName(Map<String, String> environment) {
        String computerName = environment.get("COMPUTERNAME");
        if (computerName != null && !computerName.isBlank()) {
            return computerName;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    private static void closeQuietly(HealthEndpoint health) {
        if (health != null) {
            health.close();
        }
    }
}
