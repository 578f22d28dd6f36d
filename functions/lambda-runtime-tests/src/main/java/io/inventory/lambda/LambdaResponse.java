package io.inventory.lambda;

import java.time.Duration;

/**
 * What the Lambda runtime client posted back for one invocation: the handler's serialized result, or the error
 * document the runtime builds from an exception ({@code errorMessage}, {@code errorType}, {@code stackTrace}).
 *
 * @param requestId the invocation's {@code Lambda-Runtime-Aws-Request-Id}
 * @param payload the body the runtime posted, as UTF-8 text
 * @param errorType the {@code Lambda-Runtime-Function-Error-Type} header of an error; null for a success
 * @param elapsed from {@code invoke} to the answer; on the first invocation it includes the runtime's start
 */
public record LambdaResponse(String requestId, String payload, String errorType, Duration elapsed) {

    /** True when the runtime posted to {@code /error} rather than {@code /response}. */
    public boolean isError() {
        return errorType != null;
    }
}
