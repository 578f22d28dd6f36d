package io.inventory.testing;

import io.inventory.queue.QueueMessageCodec;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.model.BatchRequestTooLongException;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Enforces the SQS message size limit that ElasticMQ does not: a send over the limit fails as real SQS fails it,
 * and so does a batch whose entries add up to more than the limit.
 *
 * <p>Test-support registers it as a global SDK interceptor (the SDK reads
 * {@code software/amazon/awssdk/services/sqs/execution.interceptors} from the classpath), so every SQS client built
 * in a JVM that has this module on its classpath sees the rule, including clients the code under test builds
 * itself. The limit is {@value QueueMessageCodec#DEFAULT_MAX_MESSAGE_BYTES} bytes unless the system property
 * {@value #LIMIT_PROPERTY} says otherwise.
 */
public final class SqsMessageSizeLimit implements ExecutionInterceptor {

    public static final String LIMIT_PROPERTY = "inventory.test.sqs.maxMessageBytes";

    private final int limitBytes;

    /** The constructor the SDK calls for global interceptors. */
    public SqsMessageSizeLimit() {
        this(Integer.getInteger(LIMIT_PROPERTY, QueueMessageCodec.DEFAULT_MAX_MESSAGE_BYTES));
    }

    public SqsMessageSizeLimit(int limitBytes) {
        this.limitBytes = limitBytes;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes executionAttributes) {
        SdkRequest request = context.request();
        if (request instanceof SendMessageRequest send) {
            int size = sizeOf(send.messageBody(), send.messageAttributes());
            if (size > limitBytes) {
                throw tooLong("InvalidParameterValue", "One or more parameters are invalid. Reason: Message must be "
                        + "shorter than " + limitBytes + " bytes (was " + size + ").");
            }
        } else if (request instanceof SendMessageBatchRequest batch) {
            int total = 0;
            for (SendMessageBatchRequestEntry entry : batch.entries()) {
                total += sizeOf(entry.messageBody(), entry.messageAttributes());
            }
            if (total > limitBytes) {
                throw BatchRequestTooLongException.builder()
                        .message("Batch requests cannot be longer than " + limitBytes + " bytes (was " + total + ").")
                        .statusCode(400)
                        .awsErrorDetails(details("AWS.SimpleQueueService.BatchRequestTooLong",
                                "Batch requests cannot be longer than " + limitBytes + " bytes."))
                        .build();
            }
        }
    }

    /** Size as SQS counts it: the UTF-8 body plus every attribute's name, data type and value. */
    static int sizeOf(String body, Map<String, MessageAttributeValue> attributes) {
        int size = utf8(body);
        for (Map.Entry<String, MessageAttributeValue> attribute : attributes.entrySet()) {
            MessageAttributeValue value = attribute.getValue();
            size += utf8(attribute.getKey()) + utf8(value.dataType());
            size += value.stringValue() != null ? utf8(value.stringValue()) : 0;
            size += value.binaryValue() != null ? value.binaryValue().asByteArrayUnsafe().length : 0;
        }
        return size;
    }

    private static int utf8(String text) {
        return text == null ? 0 : QueueMessageCodec.sizeOf(text, Map.of());
    }

    private static SqsException tooLong(String code, String message) {
        return (SqsException) SqsException.builder()
                .message(message)
                .statusCode(400)
                .awsErrorDetails(details(code, message))
                .build();
    }

    private static AwsErrorDetails details(String code, String message) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("Sqs").build();
    }
}
