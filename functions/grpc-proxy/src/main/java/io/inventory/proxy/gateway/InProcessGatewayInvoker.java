package io.inventory.proxy.gateway;

import io.inventory.gateway.GatewayHandler;
import io.inventory.proto.DependencyCheck;
import io.inventory.proto.RunRequest;
import io.inventory.proto.RunResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the gateway's own handler in this JVM, for local use without Lambda. */
public final class InProcessGatewayInvoker implements GatewayInvoker {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessGatewayInvoker.class);

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
        try {
            handler.close();
        } catch (Exception e) {
            LOG.warn("closing the in-process gateway failed", e);
        }
    }
}
