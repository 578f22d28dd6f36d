package io.inventory.document;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.proto.AgentInfo;
import io.inventory.proto.HostInfo;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import io.inventory.proto.OsInfo;
import io.inventory.proto.Program;
import io.inventory.proto.SectionError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InventoryMergeTest {

    private static final String MONTH_AGO = "2026-11-03T10:00:00Z";
    private static final String WEEK_AGO = "2026-11-26T10:00:00Z";
    private static final String TODAY = "2026-12-03T10:00:00Z";

    @Test
    void osOnlyResultAfterFullOneKeepsThePrograms() {
        InventoryDocument full = merge(null, collected(1, MONTH_AGO, "Windows 10 Pro", 5, "os", "host", "programs"));

        InventoryDocument after = merge(full, collected(2, TODAY, "Windows 11 Pro", 0, "os", "host"));

        assertThat(after.getProgramsList()).extracting(Program::getName).hasSize(5).contains("Program 4");
        assertThat(after.getOs().getProductName()).isEqualTo("Windows 11 Pro");
        assertThat(after.getSectionCollectedAtMap()).containsEntry("programs", MONTH_AGO).containsEntry("os", TODAY)
                .containsEntry("host", TODAY);
        assertThat(after.getSectionTaskIdMap()).containsEntry("programs", "task-1").containsEntry("os", "task-2");
        assertThat(after.getCollectedAt()).isEqualTo(TODAY);
        assertThat(after.getTaskId()).isEqualTo("task-2");
        assertThat(after.getRunId()).isEqualTo("run-2");
        assertThat(after.getStatus()).isEqualTo("ok");
    }

    @Test
    void olderOsOnlyResultAfterNewerFullOneChangesNothing() {
        InventoryDocument full = merge(null, collected(2, TODAY, "Windows 11 Pro", 5, "os", "host", "programs"));

        InventoryDocument after = merge(full, collected(1, MONTH_AGO, "Windows 10 Pro", 0, "os", "host"));

        assertThat(after).isSameAs(full);
    }

    @Test
    void olderFullResultAfterNewerOsOnlyOneFillsInOnlyThePrograms() {
        InventoryDocument osOnly = merge(null, collected(2, TODAY, "Windows 11 Pro", 0, "os", "host"));

        InventoryDocument after = merge(osOnly, collected(1, MONTH_AGO, "Windows 10 Pro", 5, "os", "host", "programs"));

        assertThat(after.getProgramsCount()).isEqualTo(5);
        assertThat(after.getOs().getProductName()).isEqualTo("Windows 11 Pro");
        assertThat(after.getSectionCollectedAtMap()).containsEntry("programs", MONTH_AGO).containsEntry("os", TODAY);
        assertThat(after.getTaskId()).as("the newest contribution still describes the document").isEqualTo("task-2");
        assertThat(after.getCollectedAt()).isEqualTo(TODAY);
    }

    @Test
    void fullResultAfterOsOnlyOneReplacesEverySection() {
        InventoryDocument osOnly = merge(null, collected(1, WEEK_AGO, "Windows 10 Pro", 0, "os", "host"));

        InventoryDocument after = merge(osOnly, collected(2, TODAY, "Windows 11 Pro", 3, "os", "host", "programs"));

        assertThat(after).isEqualTo(merge(null, collected(2, TODAY, "Windows 11 Pro", 3, "os", "host", "programs")));
    }

    @Test
    void sectionErrorTravelsWithItsSection() {
        InventoryResult programsFailedPartly = withError(collected(1, WEEK_AGO, "Windows 10 Pro", 2, "os", "host",
                "programs"), "programs", "ACCESS_DENIED");
        InventoryDocument partial = merge(null, programsFailedPartly);

        InventoryDocument afterOs = merge(partial, collected(2, TODAY, "Windows 11 Pro", 0, "os", "host"));
        InventoryDocument afterPrograms = merge(afterOs, collected(3, TODAY, "Windows 11 Pro", 4, "programs"));

        assertThat(partial.getStatus()).isEqualTo("partial");
        assertThat(afterOs.getErrorsList()).as("the programs held still miss some entries")
                .extracting(SectionError::getCode).containsExactly("ACCESS_DENIED");
        assertThat(afterOs.getStatus()).isEqualTo("partial");
        assertThat(afterPrograms.getErrorsList()).as("replaced with the programs, a clean read").isEmpty();
        assertThat(afterPrograms.getStatus()).isEqualTo("ok");
        assertThat(afterPrograms.getProgramsCount()).isEqualTo(4);
    }

    @Test
    void sectionThatFailedCompletelyKeepsTheDataCollectedBefore() {
        InventoryDocument full = merge(null, collected(1, WEEK_AGO, "Windows 10 Pro", 5, "os", "host", "programs"));
        InventoryResult programsFailed = withError(collected(2, TODAY, "Windows 11 Pro", 0, "os", "host"),
                "programs", "ACCESS_DENIED");

        InventoryDocument after = merge(full, programsFailed);

        assertThat(after.getProgramsCount()).isEqualTo(5);
        assertThat(after.getSectionCollectedAtMap()).containsEntry("programs", WEEK_AGO);
        assertThat(after.getErrorsList()).isEmpty();
    }

    @Test
    void sectionNobodyCollectedShowsTheNewestError() {
        InventoryResult programsFailed = withError(collected(1, TODAY, "Windows 11 Pro", 0, "os", "host"),
                "programs", "ACCESS_DENIED");

        InventoryDocument document = merge(null, programsFailed);

        assertThat(document.getErrorsList()).extracting(SectionError::getSection).containsExactly("programs");
        assertThat(document.getStatus()).isEqualTo("partial");
        assertThat(document.getSectionCollectedAtMap()).containsOnlyKeys("os", "host");
    }

    @Test
    void errorNeverErasesAnInventoryAndNewerInventoryClearsIt() {
        InventoryDocument full = merge(null, collected(1, WEEK_AGO, "Windows 10 Pro", 5, "os", "host", "programs"));

        InventoryDocument failed = merge(full, error(2, "2026-11-30T10:00:00Z", "COLLECTION_FAILED"));
        InventoryDocument olderError = merge(failed, error(3, "2026-11-29T10:00:00Z", "RESULT_TOO_LARGE"));
        InventoryDocument osOnly = merge(failed, collected(4, TODAY, "Windows 11 Pro", 0, "os", "host"));

        assertThat(failed.getProgramsCount()).isEqualTo(5);
        assertThat(failed.getLastError().getCode()).isEqualTo("COLLECTION_FAILED");
        assertThat(failed.getLastError().getTaskId()).isEqualTo("task-2");
        assertThat(olderError).isSameAs(failed);
        assertThat(osOnly.hasLastError()).isFalse();
        assertThat(osOnly.getProgramsCount()).isEqualTo(5);
    }

    @Test
    void errorBeforeAnyInventoryGivesAnErrorDocument() {
        InventoryDocument document = merge(null, error(1, TODAY, ""));

        assertThat(document.getStatus()).isEqualTo("error");
        assertThat(document.getHost().getName()).isEqualTo("WS01");
        assertThat(document.getLastError().getCode()).isEqualTo(InventoryMerge.UNSPECIFIED_ERROR_CODE);
        assertThat(InventoryMerge.hasInventory(document)).isFalse();
    }

    @Test
    void documentOfAnOlderAgentCoversEverySectionAtItsCollectionTime() {
        InventoryResult legacy = collected(1, WEEK_AGO, "Windows 10 Pro", 5, "os", "host", "programs");
        legacy = legacy.toBuilder().setInventory(legacy.getInventory().toBuilder().clearSectionCollectedAt()).build();
        InventoryDocument stored = merge(null, legacy).toBuilder().clearSectionCollectedAt().clearSectionTaskId()
                .build();

        InventoryDocument after = merge(stored, collected(2, TODAY, "Windows 11 Pro", 0, "os", "host"));

        assertThat(after.getProgramsCount()).isEqualTo(5);
        assertThat(after.getSectionCollectedAtMap()).containsEntry("programs", WEEK_AGO).containsEntry("os", TODAY);
        assertThat(after.getSectionTaskIdMap()).containsEntry("programs", "task-1");
    }

    @Test
    void redeliveredResultChangesNothing() {
        InventoryResult result = collected(1, TODAY, "Windows 11 Pro", 5, "os", "host", "programs");
        InventoryDocument once = merge(null, result);
        InventoryDocument failed = merge(once, error(2, "2026-12-04T10:00:00Z", "COLLECTION_FAILED"));

        assertThat(merge(once, result)).isSameAs(once);
        assertThat(merge(failed, result)).isSameAs(failed);
        assertThat(merge(failed, error(2, "2026-12-04T10:00:00Z", "COLLECTION_FAILED"))).isSameAs(failed);
    }

    @Test
    void sameTimeIsSettledByTaskIdWhateverTheOrder() {
        InventoryResult first = collected(1, TODAY, "Windows 10 Pro", 1, "os", "host", "programs");
        InventoryResult second = collected(2, "2026-12-03T11:00:00+01:00", "Windows 11 Pro", 0, "os", "host");

        InventoryDocument forwards = merge(merge(null, first), second);
        InventoryDocument backwards = merge(merge(null, second), first);

        assertThat(forwards).isEqualTo(backwards);
        assertThat(forwards.getOs().getProductName()).isEqualTo("Windows 11 Pro");
        assertThat(forwards.getProgramsCount()).isEqualTo(1);
    }

    @Test
    void outcomeDoesNotDependOnOrderRepeatsOrBatching() {
        List<InventoryResult> results = List.of(
                collected(1, "2026-12-01T10:00:00Z", "Windows 10 Pro", 3, "os", "host", "programs"),
                error(2, "2026-12-01T11:00:00Z", "COLLECTION_FAILED"),
                collected(3, "2026-12-02T10:00:00Z", "Windows 11 Pro", 0, "os", "host"),
                withError(collected(4, "2026-12-01T12:00:00Z", "Windows 10 Pro", 2, "host", "programs"),
                        "programs", "ACCESS_DENIED"),
                collected(5, "2026-12-02T10:00:00Z", "Windows 11 Home", 0, "os", "host"),
                error(6, "2026-12-03T09:00:00Z", "RESULT_TOO_LARGE"),
                withError(collected(7, "2026-12-02T12:00:00Z", "Windows 11 Pro", 0, "host"), "os", "NOT_FOUND"),
                error(8, "2026-11-30T09:00:00Z", "INVALID_TASK"));
        InventoryDocument inTimeOrder = null;
        for (InventoryResult result : results.stream()
                .sorted((a, b) -> Timestamps.parseStored(a.getCollectedAt())
                        .compareTo(Timestamps.parseStored(b.getCollectedAt()))).toList()) {
            inTimeOrder = merge(inTimeOrder, result);
        }
        Random random = new Random(11);

        for (int round = 0; round < 200; round++) {
            List<InventoryResult> shuffled = new ArrayList<>(results);
            shuffled.addAll(results.subList(0, random.nextInt(results.size())));
            Collections.shuffle(shuffled, random);
            InventoryDocument document = null;
            for (int start = 0; start < shuffled.size(); ) {
                int end = Math.min(shuffled.size(), start + 1 + random.nextInt(3));
                document = InventoryMerge.apply(document, shuffled.subList(start, end));
                start = end;
            }

            assertThat(document).as("round %d: %s", round, shuffled.stream().map(InventoryResult::getTaskId).toList())
                    .isEqualTo(inTimeOrder);
        }
        assertThat(inTimeOrder.getTaskId()).isEqualTo("task-7");
        assertThat(inTimeOrder.getOs().getProductName()).as("task 5 wins the tie with task 3 on the OS")
                .isEqualTo("Windows 11 Home");
        assertThat(inTimeOrder.getProgramsCount()).as("task 4's programs are the newest").isEqualTo(2);
        assertThat(inTimeOrder.getErrorsList()).extracting(SectionError::getCode).containsExactly("ACCESS_DENIED");
        assertThat(inTimeOrder.getLastError().getTaskId()).isEqualTo("task-6");
    }

    private static InventoryDocument merge(InventoryDocument current, InventoryResult result) {
        return InventoryMerge.apply(current, result);
    }

    /** An ok result whose document covers {@code sections}, collected at {@code at}. */
    private static InventoryResult collected(int task, String at, String product, int programs, String... sections) {
        Set<String> covered = Set.of(sections);
        InventoryDocument.Builder document = InventoryDocument.newBuilder()
                .setSchema("inventory/v1")
                .setStatus("ok")
                .setCollectedAt(at)
                .setAgent(AgentInfo.newBuilder().setVersion("1.0." + task));
        if (covered.contains("host")) {
            document.setHost(HostInfo.newBuilder().setName("WS01").setDomain("corp.example.com"));
        }
        if (covered.contains("os")) {
            document.setOs(OsInfo.newBuilder().setProductName(product).setCurrentBuild("22631"));
        }
        for (int i = 0; i < programs; i++) {
            document.addPrograms(Program.newBuilder().setName("Program " + i).setVersion(task + "." + i));
        }
        covered.forEach(section -> document.putSectionCollectedAt(section, at));
        return InventoryResult.newBuilder()
                .setTaskId("task-" + task)
                .setRunId("run-" + task)
                .setHost("WS01")
                .setStatus("ok")
                .setCollectedAt(at)
                .setInventory(document)
                .build();
    }

    private static InventoryResult withError(InventoryResult result, String section, String code) {
        InventoryDocument document = result.getInventory().toBuilder().setStatus("partial")
                .addErrors(SectionError.newBuilder().setSection(section).setCode(code).setMessage("cannot read"))
                .build();
        return result.toBuilder().setInventory(document).build();
    }

    private static InventoryResult error(int task, String at, String code) {
        return InventoryResult.newBuilder()
                .setTaskId("task-" + task)
                .setRunId("run-" + task)
                .setHost("WS01")
                .setStatus("error")
                .setErrorCode(code)
                .setErrorMessage("collection failed")
                .setCollectedAt(at)
                .build();
    }
}
