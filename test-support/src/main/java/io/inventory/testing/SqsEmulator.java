package io.inventory.testing;

import java.net.URI;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * An SQS endpoint for tests and local runs: ElasticMQ embedded in this JVM on a loopback port, with real long
 * polling, visibility timeouts and redrive to dead-letter queues. Every SQS client in a JVM with this module on
 * its classpath also enforces the SQS size limit ({@link SqsMessageSizeLimit}).
 *
 * <pre>{@code
 * try (SqsEmulator sqs = SqsEmulator.start()) {
 *     SqsEmulator.QueuePair tasks = sqs.createQueueWithDeadLetter("inventory_tasks", 3, 30);
 *     sqs.client().sendMessage(b -> b.queueUrl(tasks.url()).messageBody("{}"));
 * }
 * }</pre>
 */
public final class SqsEmulator implements AutoCloseable {

    public static final Region REGION = Region.US_EAST_1;
    public static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private final SQSRestServer server;
    private final URI endpoint;
    private final SqsClient client;

    private SqsEmulator(SQSRestServer server, int port) {
        this.server = server;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
        this.client = newClient();
    }

    /** Starts ElasticMQ on a free loopback port; about a second. */
    public static SqsEmulator start() {
        return start(0);
    }

    /** Starts ElasticMQ on the given loopback port (0 for any free one), for example to restart on the same port. */
    public static SqsEmulator start(int port) {
        TheSQSRestServerBuilder builder = SQSRestServerBuilder.withInterface("127.0.0.1").withAWSRegion(REGION.id());
        SQSRestServer server = (port == 0 ? builder.withDynamicPort() : builder.withPort(port)).start();
        int boundPort = server.waitUntilStarted().localAddress().getPort();
        return new SqsEmulator(server, boundPort);
    }

    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    /** A client for this endpoint, shared by callers and closed with the emulator. */
    public SqsClient client() {
        return client;
    }

    /** A new client for this endpoint; the caller closes it. */
    public SqsClient newClient() {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(REGION)
                .credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** Creates a queue and returns its URL. */
    public String createQueue(String name, int visibilityTimeoutSeconds) {
        return client.createQueue(b -> b.queueName(name).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeoutSeconds)))).queueUrl();
    }

    /** Creates {@code name} with a dead-letter queue {@code name_dlq} that takes messages after maxReceiveCount. */
    public QueuePair createQueueWithDeadLetter(String name, int maxReceiveCount, int visibilityTimeoutSeconds) {
        String deadLetterUrl = createQueue(name + "_dlq", visibilityTimeoutSeconds);
        String deadLetterArn = client.getQueueAttributes(GetQueueAttributesRequest.builder()
                        .queueUrl(deadLetterUrl).attributeNames(QueueAttributeName.QUEUE_ARN).build())
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String redrive = "{\"maxReceiveCount\":\"" + maxReceiveCount + "\",\"deadLetterTargetArn\":\""
                + deadLetterArn + "\"}";
        String url = client.createQueue(b -> b.queueName(name).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeoutSeconds),
                QueueAttributeName.REDRIVE_POLICY, redrive))).queueUrl();
        return new QueuePair(url, deadLetterUrl);
    }

    /** Approximate number of visible messages, as SQS reports it. */
    public int visibleMessages(String queueUrl) {
        return Integer.parseInt(client.getQueueAttributes(b -> b.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    @Override
    public void close() {
        client.close();
        server.stopAndWait();
    }

    /** A queue and its dead-letter queue. */
    public record QueuePair(String url, String deadLetterUrl) {
    }
}
