package io.inventory.benchmarks.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The gateway's cold-start baseline: a handler that does nothing but the one SDK call the gateway cannot avoid,
 * a SendMessage to {@code TASK_QUEUE_URL}, with a client built the way the gateway builds its own.
 */
public final class MinimalSqsHandler implements RequestStreamHandler {

    private static final SqsClient SQS = SqsClient.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String body = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        String id = SQS.sendMessage(b -> b.queueUrl(System.getenv("TASK_QUEUE_URL")).messageBody(body)).messageId();
        output.write(("{\"message_id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
