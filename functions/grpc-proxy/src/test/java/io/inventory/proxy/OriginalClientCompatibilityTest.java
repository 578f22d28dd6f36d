package io.inventory.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.inventory.testing.SqsEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that knows only the original agent.proto (RunRequest.commands_file; RunResponse ok, accepted, error;
 * HealthResponse ok, service), built from hand-written descriptors, as a Python client generated from that file
 * would be: it calls the proxy unchanged and reads its answers.
 */
class OriginalClientCompatibilityTest {

    @TempDir
    Path workspace;

    @Test
    void aClientBuiltFromTheOriginalProtoRunsACommandsFileAndChecksHealth() throws Exception {
        FileDescriptor original = originalAgentProto();
        Descriptor runRequest = original.findMessageTypeByName("RunRequest");
        Descriptor runResponse = original.findMessageTypeByName("RunResponse");
        Descriptor healthRequest = original.findMessageTypeByName("HealthRequest");
        Descriptor healthResponse = original.findMessageTypeByName("HealthResponse");
        Files.writeString(workspace.resolve("commands.txt"), "inventory\ninventory programs\n");

        try (SqsEmulator sqs = SqsEmulator.start();
             ProxyFixture proxy = ProxyFixture.start("--gateway-mode", "in_process",
                     "--task-queue-url", sqs.createQueue("inventory_tasks", 600),
                     "--sqs-endpoint", sqs.endpoint().toString(), "--commands-root", workspace.toString())) {

            DynamicMessage run = ClientCalls.blockingUnaryCall(proxy.channel(), method("Run", runRequest, runResponse),
                    CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS),
                    DynamicMessage.newBuilder(runRequest).setField(runRequest.findFieldByName("commands_file"),
                            workspace.resolve("commands.txt").toString()).build());
            DynamicMessage health = ClientCalls.blockingUnaryCall(proxy.channel(),
                    method("Health", healthRequest, healthResponse),
                    CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS),
                    DynamicMessage.getDefaultInstance(healthRequest));

            assertThat(run.getField(runResponse.findFieldByName("ok"))).isEqualTo(true);
            assertThat(run.getField(runResponse.findFieldByName("accepted"))).isEqualTo(2);
            assertThat(run.getField(runResponse.findFieldByName("error"))).isEqualTo("");
            assertThat(health.getField(healthResponse.findFieldByName("ok"))).isEqualTo(true);
            assertThat(health.getField(healthResponse.findFieldByName("service"))).isEqualTo("inventory-grpc-proxy");
        }
    }

    private static MethodDescriptor<DynamicMessage, DynamicMessage> method(String name, Descriptor request,
                                                                           Descriptor response) {
        return MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("agent.AgentGateway", name))
                .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(request)))
                .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(response)))
                .build();
    }

    private static FileDescriptor originalAgentProto() throws Exception {
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("original/agent.proto")
                .setPackage("agent")
                .setSyntax("proto3")
                .addMessageType(message("RunRequest", field("commands_file", 1, FieldDescriptorProto.Type.TYPE_STRING)))
                .addMessageType(message("RunResponse", field("ok", 1, FieldDescriptorProto.Type.TYPE_BOOL),
                        field("accepted", 2, FieldDescriptorProto.Type.TYPE_INT32),
                        field("error", 3, FieldDescriptorProto.Type.TYPE_STRING)))
                .addMessageType(message("HealthRequest"))
                .addMessageType(message("HealthResponse", field("ok", 1, FieldDescriptorProto.Type.TYPE_BOOL),
                        field("service", 2, FieldDescriptorProto.Type.TYPE_STRING)))
                .addService(ServiceDescriptorProto.newBuilder().setName("AgentGateway")
                        .addMethod(MethodDescriptorProto.newBuilder().setName("Run")
                                .setInputType(".agent.RunRequest").setOutputType(".agent.RunResponse"))
                        .addMethod(MethodDescriptorProto.newBuilder().setName("Health")
                                .setInputType(".agent.HealthRequest").setOutputType(".agent.HealthResponse")))
                .build();
        return FileDescriptor.buildFrom(file, new FileDescriptor[0]);
    }

    private static DescriptorProto message(String name, FieldDescriptorProto... fields) {
        DescriptorProto.Builder message = DescriptorProto.newBuilder().setName(name);
        for (FieldDescriptorProto field : fields) {
            message.addField(field);
        }
        return message.build();
    }

    private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL).build();
    }
}
