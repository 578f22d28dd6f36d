package io.inventory.proxy;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.inventory.proto.RunResponse;

/** Reads the RunResponse a failed Run carries in its google.rpc.Status details, as a client would. */
final class StatusDetails {

    private StatusDetails() {
    }

    static RunResponse runResponse(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        if (status == null) {
            throw new AssertionError("the status has no details: " + e.getStatus());
        }
        for (Any detail : status.getDetailsList()) {
            if (detail.is(RunResponse.class)) {
                try {
                    return detail.unpack(RunResponse.class);
                } catch (InvalidProtocolBufferException ex) {
                    throw new AssertionError("the RunResponse detail does not parse", ex);
                }
            }
        }
        throw new AssertionError("no RunResponse among the details of " + e.getStatus());
    }
}
