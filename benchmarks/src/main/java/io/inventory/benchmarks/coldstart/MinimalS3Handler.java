package io.inventory.benchmarks.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The writer's cold-start baseline: a handler that stores the event it gets as one object in {@code BUCKET_NAME},
 * with a client built the way the writer builds its own; no parsing, no conditions, no merge.
 */
public final class MinimalS3Handler implements RequestStreamHandler {

    private static final S3Client S3 = S3Client.builder()
            .region(Region.of(System.getenv().getOrDefault("AWS_REGION", "us-east-1")))
            .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        String etag = S3.putObject(b -> b.bucket(System.getenv("BUCKET_NAME")).key("baseline/event.json"),
                RequestBody.fromBytes(event)).eTag();
        output.write(("{\"etag\":" + etag + "}").getBytes(StandardCharsets.UTF_8));
    }
}
