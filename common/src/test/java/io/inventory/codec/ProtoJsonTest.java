package io.inventory.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inventory.proto.InventoryResult;
import io.inventory.proto.InventoryTask;
import io.inventory.proto.RunResponse;
import org.junit.jupiter.api.Test;

class ProtoJsonTest {

    @Test
    void jsonUsesProtoFieldNamesAndOmitsDefaults() {
        InventoryTask task = InventoryTask.newBuilder().setTaskId("r-L1").setRunId("r").setLine(1).build();

        assertThat(ProtoJson.toJson(task)).isEqualTo("{\"task_id\":\"r-L1\",\"run_id\":\"r\",\"line\":1}");
    }

    @Test
    void unknownFieldsAreIgnoredSoOlderReadersAcceptNewerWriters() throws Exception {
        InventoryTask task = ProtoJson.parse("{\"task_id\":\"r-L1\",\"added_in_v9\":{\"x\":1}}",
                InventoryTask.newBuilder());

        assertThat(task.getTaskId()).isEqualTo("r-L1");
    }

    @Test
    void malformedJsonIsATypedErrorNamingTheMessage() {
        assertThatThrownBy(() -> ProtoJson.parse("{\"task_id\": ", InventoryTask.newBuilder()))
                .isInstanceOf(InvalidMessageException.class).hasMessageStartingWith("not a valid InventoryTask");
        assertThatThrownBy(() -> ProtoJson.parse("{\"line\": \"seven\"}", InventoryTask.newBuilder()))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("(field line)");
        assertThatThrownBy(() -> ProtoJson.parse("  ", RunResponse.newBuilder()))
                .isInstanceOf(InvalidMessageException.class).hasMessage("empty body, expected a JSON RunResponse");
    }

    @Test
    void errorInANestedListNamesTheFullPath() {
        String json = "{\"task_id\":\"t\",\"inventory\":{\"programs\":[{\"name\":\"a\"},"
                + "{\"name\":\"b\",\"estimated_size_kb\":\"big\"}]}}";

        assertThatThrownBy(() -> ProtoJson.parse(json, InventoryResult.newBuilder()))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("(field inventory.programs[1].estimated_size_kb)");
    }
}
