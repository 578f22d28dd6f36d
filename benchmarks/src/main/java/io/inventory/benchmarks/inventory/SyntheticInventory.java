package io.inventory.benchmarks.inventory;

import io.inventory.commands.RunIds;
import io.inventory.proto.AgentInfo;
import io.inventory.proto.HostInfo;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import io.inventory.proto.OsInfo;
import io.inventory.proto.Program;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/**
 * Inventory results with realistic-looking programs (distinct names, versions, GUIDs and paths), so that sizes and
 * compression ratios resemble a real host's rather than those of repeated text.
 */
public final class SyntheticInventory {

    private static final String[] PUBLISHERS = {"Contoso Ltd.", "Fabrikam, Inc.", "Northwind Traders",
        "Adventure Works", "Tailspin Toys", "Wide World Importers", "Litware, Inc.", "Proseware, Inc.",
        "Microsoft Corporation", "Fourth Coffee"};
    private static final String[] WORDS = {"Studio", "Runtime", "Agent", "Viewer", "Tools", "Driver", "Suite",
        "Client", "Service", "Update Helper", "SDK", "Redistributable", "Player", "Manager Console"};

    private SyntheticInventory() {
    }

    /** A successful result for {@code host} with {@code programs} programs, collected at {@code collectedAt}. */
    public static InventoryResult result(String runId, int line, String host, int programs, Instant collectedAt,
            long seed) {
        String at = DateTimeFormatter.ISO_INSTANT.format(collectedAt);
        return InventoryResult.newBuilder()
                .setTaskId(RunIds.taskId(runId, line))
                .setRunId(runId)
                .setHost(host)
                .setStatus("ok")
                .setCollectedAt(at)
                .setAgent(AgentInfo.newBuilder().setVersion("0.1.0"))
                .setInventory(document(host, programs, at, seed))
                .build();
    }

    /** A host's document with {@code programs} programs. */
    public static InventoryDocument document(String host, int programs, String collectedAt, long seed) {
        Random random = new Random(seed);
        InventoryDocument.Builder document = InventoryDocument.newBuilder()
                .setSchema("inventory/v1")
                .setHost(HostInfo.newBuilder().setName(host).setDomain("corp.example.com"))
                .setCollectedAt(collectedAt)
                .setStatus("ok")
                .setAgent(AgentInfo.newBuilder().setVersion("0.1.0"))
                .setOs(OsInfo.newBuilder()
                        .setProductName("Windows 11 Pro")
                        .setProductNameRaw("Windows 10 Pro")
                        .setDisplayVersion("23H2")
                        .setCurrentBuild("22631")
                        .setUbr(4460)
                        .setEditionId("Professional")
                        .setVersion("10.0.22631.4460")
                        .setInstallationType("Client")
                        .setInstallDate("2024-02-11T10:02:31Z"));
        for (int i = 0; i < programs; i++) {
            document.addPrograms(program(i, random));
        }
        return document.build();
    }

    private static Program program(int i, Random random) {
        String name = WORDS[random.nextInt(WORDS.length)] + " " + Integer.toString(random.nextInt(1 << 20), 36)
                + " " + i;
        String publisher = PUBLISHERS[random.nextInt(PUBLISHERS.length)];
        String folder = "C:\\Program Files\\" + publisher.replaceAll("[^A-Za-z]", "") + "\\" + name + "\\";
        boolean msi = random.nextInt(3) == 0;
        String guid = guid(random);
        boolean x64 = random.nextInt(3) != 0;
        Program.Builder program = Program.newBuilder()
                .setName(name)
                .setVersion((1 + random.nextInt(30)) + "." + random.nextInt(10) + "." + random.nextInt(10000))
                .setPublisher(publisher)
                .setInstallDate(String.format(Locale.ROOT, "2024-%02d-%02d", 1 + random.nextInt(12),
                        1 + random.nextInt(28)))
                .setInstallLocation(folder)
                .setUninstallString(msi ? "MsiExec.exe /X" + guid : "\"" + folder + "uninstall.exe\" /S")
                .setEstimatedSizeKb(random.nextInt(2_000_000))
                .setArchitecture(x64 ? "x64" : "x86")
                .setScope("machine")
                .setRegistryKey("HKEY_LOCAL_MACHINE\\SOFTWARE\\" + (x64 ? "" : "WOW6432Node\\")
                        + "Microsoft\\Windows\\CurrentVersion\\Uninstall\\" + (msi ? guid : name));
        if (msi) {
            program.setIdentifyingNumber(guid);
        }
        return program.build();
    }

    private static String guid(Random random) {
        String hex = String.format(Locale.ROOT, "%016X%016X", random.nextLong(), random.nextLong());
        return "{" + hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20) + "}";
    }
}
