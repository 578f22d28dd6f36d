package io.inventory.proxy.gateway;

import io.inventory.gateway.GatewayHandler;
import io.inventory.proto.DependencyCheck;
import io.inventory.proto.RunRequest;
import io.inventory.proto.RunResponse;
import java.time.Duration;

/** Runs the gateway's own handler in this JVM, for local use without Lambda. */
public final class InProcessGatewayInvoker implements GatewayInvoker {

    private final GatewayHandler handler;

    public InProcessGatewayInvoker(GatewayHandler handler) {
        this.handler = handler;
    }

    @Override
    public RunResponse run(RunRequest request, Duration timeout) {
        return handler.run(request, timeout);
    }

    @Override
    public DependencyCheck check(Duration timeout) {
        return DependencyCheck.newBuilder().setName("gateway").setOk(true).setDetail("in-process").build();
    }

    @Override
    public void close() {
        handler.close();
    }
}
