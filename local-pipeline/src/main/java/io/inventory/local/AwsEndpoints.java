package io.inventory.local;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where the local pipeline finds SQS and S3 when it does not start its own emulators, for example a LocalStack
 * container; and how it builds its clients for them.
 *
 * @param sqs       the SQS endpoint
 * @param s3        the S3 endpoint, addressed path-style
 * @param region    the region the endpoints answer for
 * @param accessKey any access key the endpoints accept
 * @param secretKey its secret
 */
public record AwsEndpoints(URI sqs, URI s3, Region region, String accessKey, String secretKey) {

    StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    SqsClient newSqsClient() {
        return SqsClient.builder()
                .endpointOverride(sqs)
                .region(region)
                .credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /**
     * An S3 client on the Apache 5 HTTP client: after an early 412, s3proxy closes the connection without saying
     * so, which the URL-connection client turns into I/O errors and retries that apply a write twice.
     */
    S3Client newS3Client() {
        return S3Client.builder()
                .endpointOverride(s3)
                .region(region)
                .credentialsProvider(credentials())
                .forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder().connectionTimeout(Duration.ofSeconds(10)))
                .build();
    }
}
