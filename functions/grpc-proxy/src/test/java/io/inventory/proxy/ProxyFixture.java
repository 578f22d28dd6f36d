package io.inventory.proxy;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.inventory.proto.AgentGatewayGrpc;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** A proxy started from command-line flags on a free loopback port, with the channels tests open to it. */
final class ProxyFixture implements AutoCloseable {

    private final ProxyServer server;
    private final List<ManagedChannel> channels = new ArrayList<>();

    private ProxyFixture(ProxyServer server) {
        this.server = server;
    }

    static ProxyCommand options(String... args) {
        ProxyCommand options = new ProxyCommand();
        options.tokenFromEnvironment = null;
        new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return options;
    }

    static ProxyFixture start(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--port", "0", "--shutdown-grace-seconds", "5"));
        all.addAll(List.of(args));
        return new ProxyFixture(ProxyServer.start(options(all.toArray(String[]::new))));
    }

    int port() {
        return server.port();
    }

    ProxyServer server() {
        return server;
    }

    ManagedChannel channel() {
        return channel(InsecureChannelCredentials.create());
    }

    ManagedChannel channel(ChannelCredentials credentials) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", port(), credentials).build();
        channels.add(channel);
        return channel;
    }

    AgentGatewayGrpc.AgentGatewayBlockingStub stub() {
        return AgentGatewayGrpc.newBlockingStub(channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    static AgentGatewayGrpc.AgentGatewayBlockingStub withToken(AgentGatewayGrpc.AgentGatewayBlockingStub stub,
                                                               String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @Override
    public void close() {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow();
        }
        server.close();
    }
}
