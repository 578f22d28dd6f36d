package io.inventory.testing;

import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * An S3 endpoint for tests and local runs: s3proxy embedded in this JVM on a loopback port, over an in-memory
 * blob store whose conditional puts ({@code If-Match}, {@code If-None-Match}) are atomic per key, as on S3.
 *
 * <pre>{@code
 * try (S3Emulator s3 = S3Emulator.start()) {
 *     s3.createBucket("inventory");
 *     s3.client().putObject(b -> b.bucket("inventory").key("a").ifNoneMatch("*"), RequestBody.fromString("{}"));
 * }
 * }</pre>
 *
 * <p>Clients use the SDK's Apache 5 HTTP client: after an early 412, s3proxy closes the connection without
 * saying so, which the URL-connection client turns into I/O errors and retries that apply a write twice.
 */
public final class S3Emulator implements AutoCloseable {

    public static final Region REGION = Region.US_EAST_1;
    public static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private final S3Proxy proxy;
    private final URI endpoint;
    private final S3Client client;

    private S3Emulator(S3Proxy proxy) {
        this.proxy = proxy;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        this.client = newClient();
    }

    /** Starts s3proxy on a free loopback port with an empty in-memory store. */
    public static S3Emulator start() {
        return start(UnaryOperator.identity());
    }

    /**
     * Starts s3proxy with {@code decorator} wrapped around the atomic in-memory store, for example to inject
     * faults. A decorator should extend s3proxy's {@code ForwardingBlobStore}: s3proxy looks through forwarding
     * stores to find the back-end's capabilities.
     */
    public static S3Emulator start(UnaryOperator<BlobStore> decorator) {
        BlobStore store = decorator.apply(new KeyLockingBlobStore(new TransientNio2BlobStore()));
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4,
                        CREDENTIALS.resolveCredentials().accessKeyId(),
                        CREDENTIALS.resolveCredentials().secretAccessKey())
                .stopTimeout(0)
                .build();
        try {
            proxy.start();
            awaitStarted(proxy);
        } catch (Exception e) {
            stopQuietly(proxy);
            throw new IllegalStateException("s3proxy did not start", e);
        }
        return new S3Emulator(proxy);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client for this endpoint, shared by callers and closed with the emulator. */
    public S3Client client() {
        return client;
    }

    /** A new client for this endpoint; the caller closes it. */
    public S3Client newClient() {
        return newClient(builder -> { });
    }

    /** A new client for this endpoint with the caller's settings (retry strategy, timeouts); the caller closes it. */
    public S3Client newClient(Consumer<S3ClientBuilder> customizer) {
        S3ClientBuilder builder = S3Client.builder()
                .endpointOverride(endpoint)
                .region(REGION)
                .credentialsProvider(CREDENTIALS)
                .forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder().connectionTimeout(Duration.ofSeconds(10)));
        customizer.accept(builder);
        return builder.build();
    }

    public void createBucket(String bucket) {
        client.createBucket(b -> b.bucket(bucket));
    }

    @Override
    public void close() {
        client.close();
        stopQuietly(proxy);
    }

    private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy still " + proxy.getState() + " after 30 s");
            }
            Thread.sleep(10);
        }
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            // Stopping a test server that failed is best effort; the original failure is what matters.
        }
    }
}
