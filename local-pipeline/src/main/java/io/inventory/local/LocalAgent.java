package io.inventory.local;

import io.inventory.agent.AgentVersion;
import io.inventory.agent.collect.RegistryTaskCollector;
import io.inventory.agent.poll.PollSettings;
import io.inventory.agent.poll.QueueHealth;
import io.inventory.agent.poll.TaskPoller;
import io.inventory.commands.Section;
import io.inventory.inventory.InventoryCollector;
import io.inventory.queue.QueueMessageCodec;
import io.inventory.registry.RegFileException;
import io.inventory.registry.Registries;
import io.inventory.registry.Registry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One agent in poll mode inside the local pipeline: the agent's own {@link TaskPoller} and collectors, reading a
 * host from .reg exports instead of the live registry, with an SQS client of its own as a separate process would
 * have.
 */
public final class LocalAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalAgent.class);

    /** Short, so that stopping an agent does not wait out a 20 s long poll. */
    private static final int WAIT_SECONDS = 2;
    private static final int WORKERS = 2;

    private final List<Path> registryFiles;
    private final String hostName;
    private final SqsClient sqs;
    private final TaskPoller poller;
    private boolean closed;

    private LocalAgent(List<Path> registryFiles, String hostName, SqsClient sqs, TaskPoller poller) {
        this.registryFiles = registryFiles;
        this.hostName = hostName;
        this.sqs = sqs;
        this.poller = poller;
    }

    /**
     * Starts an agent polling {@code taskQueueUrl} and answering on {@code resultQueueUrl}.
     *
     * @throws RegFileException when an export cannot be read; it names the file and line
     */
    static LocalAgent start(List<Path> registryFiles, AwsEndpoints endpoints, String taskQueueUrl,
                            String resultQueueUrl) throws RegFileException {
        Registry registry = Registries.open(registryFiles);
        String version = AgentVersion.current();
        String hostName = hostNameOf(registry, version, registryFiles);

        SqsClient sqs = endpoints.newSqsClient();
        PollSettings settings = PollSettings.of(taskQueueUrl, resultQueueUrl, WORKERS,
                QueueMessageCodec.DEFAULT_MAX_MESSAGE_BYTES, WAIT_SECONDS, Duration.ofSeconds(10), 3, hostName);
        TaskPoller poller = new TaskPoller(sqs, settings,
                new RegistryTaskCollector(registry, Clock.systemUTC(), version), QueueHealth.NONE,
                Clock.systemUTC(), version);
        poller.start();
        LOG.info("Agent started: host={} exports={}", hostName, registryFiles);
        return new LocalAgent(List.copyOf(registryFiles), hostName, sqs, poller);
    }

    /** The ComputerName in the exports, which is what the pipeline files this agent's inventories under. */
    public String hostName() {
        return hostName;
    }

    public List<Path> registryFiles() {
        return registryFiles;
    }

    /** Stops taking tasks, lets collections in progress finish (up to 10 s), then stops. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            poller.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sqs.close();
        }
        LOG.info("Agent stopped: host={}", hostName);
    }

    private static String hostNameOf(Registry registry, String version, List<Path> registryFiles) {
        String name = new InventoryCollector(registry, Clock.systemUTC(), version).collect(Set.of(Section.HOST))
                .getHost().getName();
        if (name.isEmpty()) {
            // An export without a ComputerName still makes an agent; its results then say which export it was.
            return "export-" + registryFiles.get(0).getFileName();
        }
        return name;
    }
}
