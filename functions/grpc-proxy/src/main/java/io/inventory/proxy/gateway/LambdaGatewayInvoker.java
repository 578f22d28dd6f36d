package io.inventory.proxy.gateway;

import io.inventory.codec.InvalidMessageException;
import io.inventory.codec.ProtoJson;
import io.inventory.proto.DependencyCheck;
import io.inventory.proto.RunRequest;
import io.inventory.proto.RunResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;

/**
 * Invokes the gateway function through the Lambda Invoke API, synchronously, with the caller's remaining time as
 * the call's timeout. The endpoint can point at {@code sam local start-lambda}.
 */
public final class LambdaGatewayInvoker implements GatewayInvoker {

    private static final Logger LOG = LoggerFactory.getLogger(LambdaGatewayInvoker.class);
    private static final int MAX_ERROR_TEXT = 300;

    private final LambdaClient lambda;
    private final String functionName;
    private final String qualifier;

    /**
     * @param qualifier the alias or version to invoke (the template publishes {@code live}); null or empty for
     *                  the unqualified function, as {@code sam local} serves it
     */
    public LambdaGatewayInvoker(LambdaClient lambda, String functionName, String qualifier) {
        this.lambda = lambda;
        this.functionName = functionName;
        this.qualifier = qualifier == null || qualifier.isBlank() ? null : qualifier;
    }

    @Override
    public RunResponse run(RunRequest request, Duration timeout) throws GatewayInvocationException {
        InvokeResponse response;
        try {
            response = lambda.invoke(invoke(InvocationType.REQUEST_RESPONSE, ProtoJson.toJson(request), timeout));
        } catch (ApiCallTimeoutException e) {
            throw new GatewayInvocationException(GatewayInvocationException.Kind.TIMEOUT,
                    "the gateway did not answer within " + timeout.toMillis() + " ms", e);
        } catch (LambdaException e) {
            throw new GatewayInvocationException(kindOf(e), "the gateway function could not be invoked: "
                    + describe(e), e);
        } catch (SdkClientException e) {
            throw new GatewayInvocationException(GatewayInvocationException.Kind.UNAVAILABLE,
                    "the Lambda endpoint could not be reached: " + e.getMessage(), e);
        }

        String payload = response.payload() == null ? "" : response.payload().asUtf8String();
        if (response.functionError() != null) {
            // The runtime's error document, for example a timeout; it names no inventory data.
            throw new GatewayInvocationException(GatewayInvocationException.Kind.FAILED,
                    "the gateway function failed (" + response.functionError() + "): " + shorten(payload), null);
        }
        try {
            return ProtoJson.parse(payload, RunResponse.newBuilder());
        } catch (InvalidMessageException e) {
            throw new GatewayInvocationException(GatewayInvocationException.Kind.FAILED,
                    "the gateway answered something that is not a RunResponse: " + shorten(payload), e);
        }
    }

    /** A DryRun invocation: Lambda checks the function exists and may be invoked, and runs nothing. */
    @Override
    public DependencyCheck check(Duration timeout) {
        DependencyCheck.Builder check = DependencyCheck.newBuilder().setName("gateway");
        try {
            InvokeResponse response = lambda.invoke(invoke(InvocationType.DRY_RUN, "{}", timeout));
            return check.setOk(true).setDetail("lambda " + functionName + (qualifier == null ? "" : ":" + qualifier)
                    + " answered a dry run with HTTP " + response.statusCode()).build();
        } catch (SdkException e) {
            LOG.debug("gateway dry run failed", e);
            return check.setOk(false).setDetail(e instanceof LambdaException lambdaError ? describe(lambdaError)
                    : e.getClass().getSimpleName() + ": " + shorten(e.getMessage())).build();
        }
    }

    @Override
    public void close() {
        lambda.close();
    }

    private InvokeRequest invoke(InvocationType type, String payload, Duration timeout) {
        return InvokeRequest.builder()
                .functionName(functionName)
                .qualifier(qualifier)
                .invocationType(type)
                .payload(SdkBytes.fromUtf8String(payload))
                .overrideConfiguration(o -> o.apiCallTimeout(timeout))
                .build();
    }

    private static GatewayInvocationException.Kind kindOf(LambdaException e) {
        if (e.statusCode() == 429 || e.statusCode() >= 500 || e.isThrottlingException()) {
            return GatewayInvocationException.Kind.UNAVAILABLE;
        }
        return GatewayInvocationException.Kind.FAILED;
    }

    private static String describe(LambdaException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return (code == null ? "" : code + " ") + "(HTTP " + e.statusCode() + ")";
    }

    private static String shorten(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT) + "…";
    }
}
