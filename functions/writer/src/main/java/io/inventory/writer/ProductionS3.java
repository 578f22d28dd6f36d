package io.inventory.writer;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 client and settings of the deployed function, created once per Lambda sandbox when the handler class is
 * first constructed, so that their cost falls in the init phase and not in every invocation.
 */
final class ProductionS3 {

    static final WriterSettings SETTINGS = WriterSettings.fromEnvironment(System.getenv());

    static final S3Client CLIENT = S3Client.builder()
            // Lambda sets both variables; naming them skips the SDK's slower provider chains at cold start.
            .region(Region.of(System.getenv().getOrDefault("AWS_REGION", "us-east-1")))
            .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
            .httpClientBuilder(UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(3))
                    .socketTimeout(Duration.ofSeconds(10)))
            .overrideConfiguration(ClientOverrideConfiguration.builder()
                    .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(s3MaxAttempts())
                            .build())
                    .build())
            .build();

    private ProductionS3() {
    }

    private static int s3MaxAttempts() {
        String value = System.getenv("S3_MAX_ATTEMPTS");
        if (value == null || value.isBlank()) {
            return 5;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("S3_MAX_ATTEMPTS must be a whole number, got '" + value + "'", e);
        }
    }
}
