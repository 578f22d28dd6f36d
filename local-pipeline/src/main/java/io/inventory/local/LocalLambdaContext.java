package io.inventory.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda context a handler sees when the local pipeline invokes it in-process: the function's name, a request
 * id, the time left before the configured timeout, and a logger that writes through SLF4J.
 */
public final class LocalLambdaContext implements Context {

    private static final int MEMORY_MB = 1024;

    private final String functionName;
    private final String requestId;
    private final long deadlineNanos;
    private final String region;
    private final LambdaLogger logger;

    public LocalLambdaContext(String functionName, String requestId, Duration timeout, String region) {
        this.functionName = functionName;
        this.requestId = requestId;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        this.region = region;
        this.logger = new Slf4jLambdaLogger(LoggerFactory.getLogger("lambda." + functionName));
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:" + region + ":000000000000:function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    @Override
    public int getMemoryLimitInMB() {
        return MEMORY_MB;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }

    private record Slf4jLambdaLogger(Logger log) implements LambdaLogger {

        @Override
        public void log(String message) {
            log.info("{}", message);
        }

        @Override
        public void log(byte[] message) {
            log.info("{}", new String(message, StandardCharsets.UTF_8));
        }
    }
}
