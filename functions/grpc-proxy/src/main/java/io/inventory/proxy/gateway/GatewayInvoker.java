package io.inventory.proxy.gateway;

import io.inventory.proto.DependencyCheck;
import io.inventory.proto.RunRequest;
import io.inventory.proto.RunResponse;
import java.time.Duration;

/** The way the proxy reaches the gateway: the Lambda Invoke API, or the gateway's handler in this JVM. */
public interface GatewayInvoker extends AutoCloseable {

    /**
     * Runs one request on the gateway.
     *
     * @param timeout how long the call may take; the gateway stops retrying in time to answer within it
     * @throws GatewayInvocationException when the gateway could not be reached or did not answer a RunResponse
     */
    RunResponse run(RunRequest request, Duration timeout) throws GatewayInvocationException;

    /** A cheap reachability check, named {@code gateway}. */
    DependencyCheck check(Duration timeout);

    @Override
    void close();
}
