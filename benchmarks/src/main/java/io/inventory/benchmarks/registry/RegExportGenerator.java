package io.inventory.benchmarks.registry;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes synthetic regedit exports in the format regedit itself writes: UTF-16LE with a byte-order mark, the
 * {@code Windows Registry Editor Version 5.00} header, CRLF line ends, a blank line before each key, and hex data
 * wrapped near 80 columns with {@code ,\} and a two-space indent. Output is deterministic for a given seed.
 *
 * <p>A "full-registry" export mixes a realistic number of programs with many keys the inventory reader must skip
 * (COM classes, services, per-user settings); a "programs" export is nearly all Uninstall entries.
 */
public final class RegExportGenerator {

    /** What a generated export holds, and what the collector must list from it. */
    public record Summary(Path file, long bytes, int keys, int listedPrograms) {
    }

    private static final String USER_SID = "S-1-5-21-3623811015-3361044348-30300820-1013";
    private static final String HKLM = "HKEY_LOCAL_MACHINE";
    private static final String[] PUBLISHERS = {"Contoso Ltd.", "Fabrikam, Inc.", "Northwind Traders",
        "Adventure Works", "Tailspin Toys", "Wide World Importers", "Litware, Inc.", "Proseware, Inc."};
    private static final String[] WORDS = {"Studio", "Runtime", "Agent", "Viewer", "Tools", "Driver", "Suite",
        "Client", "Service", "Update Helper", "SDK", "Redistributable"};

    private final Writer out;
    private final long fillerChars;
    private long chars;
    private int keys;
    private int listed;

    private RegExportGenerator(Writer out, long fillerChars) {
        this.out = out;
        this.fillerChars = fillerChars;
    }

    /**
     * A whole-registry export of about {@code targetBytes} with {@code programs} listed programs; the rest is keys
     * outside the inventory's selection.
     */
    public static Summary fullRegistry(Path file, long targetBytes, int programs, long seed) throws IOException {
        long programChars = dryRun(programs, seed);
        long fillerChars = Math.max(0, targetBytes / 2 - programChars);
        return write(file, programs, fillerChars, seed);
    }

    /** An export of {@code programs} listed programs (plus about 10 % entries the filter drops) and nothing else. */
    public static Summary programs(Path file, int programs, long seed) throws IOException {
        return write(file, programs, 0, seed);
    }

    /**
     * Command line: {@code full <file> <megabytes> <programs>} or {@code programs <file> <programs>}; prints the
     * summary as {@code key=value} pairs.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: full <file> <megabytes> <programs> | programs <file> <programs>");
            System.exit(2);
        }
        Path file = Path.of(args[1]);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Summary summary = switch (args[0]) {
            case "full" -> fullRegistry(file, (long) (Double.parseDouble(args[2]) * 1024 * 1024),
                    Integer.parseInt(args[3]), 42);
            case "programs" -> programs(file, Integer.parseInt(args[2]), 42);
            default -> throw new IllegalArgumentException("unknown kind " + args[0] + "; expected full or programs");
        };
        System.out.printf(Locale.ROOT, "file=%s bytes=%d keys=%d programs=%d%n", summary.file(), summary.bytes(),
                summary.keys(), summary.listedPrograms());
    }

    private static long dryRun(int programs, long seed) {
        CountingWriter counter = new CountingWriter();
        RegExportGenerator generator = new RegExportGenerator(counter, 0);
        try {
            generator.generate(programs, seed);
        } catch (IOException e) {
            throw new UncheckedIOException("counting cannot fail", e);
        }
        return counter.count;
    }

    private static Summary write(Path file, int programs, long fillerChars, long seed) throws IOException {
        RegExportGenerator generator;
        try (Writer writer = new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_16LE), 1 << 16)) {
            writer.write('\uFEFF');
            generator = new RegExportGenerator(writer, fillerChars);
            generator.generate(programs, seed);
        }
        return new Summary(file, Files.size(file), generator.keys, generator.listed);
    }

    private void generate(int programs, long seed) throws IOException {
        Random random = new Random(seed);
        line("Windows Registry Editor Version 5.00");

        // Sources as Programs and Features reads them: 64-bit machine, 32-bit machine, one user's hive.
        int machine64 = programs * 6 / 10;
        int machine32 = programs * 3 / 10;
        int user = programs - machine64 - machine32;
        List<String> msiProducts = new ArrayList<>();

        key(HKLM + "\\SOFTWARE");
        key(HKLM + "\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall");
        uninstallEntries(HKLM + "\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall", 0, machine64,
                random, msiProducts);
        operatingSystem();
        filler(HKLM + "\\SOFTWARE\\WOW6432Node\\Classes\\CLSID", fillerChars * 45 / 100, random, this::comClass);
        key(HKLM + "\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall");
        uninstallEntries(HKLM + "\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
                machine64, machine32, random, msiProducts);
        installerProducts(HKLM + "\\SOFTWARE\\Classes\\Installer\\Products", msiProducts);

        system();
        filler(HKLM + "\\SYSTEM\\ControlSet001\\Services", fillerChars * 20 / 100, random, this::service);

        String hive = "HKEY_USERS\\" + USER_SID;
        key(hive);
        filler(hive + "\\Software\\Vendors", fillerChars - fillerChars * 45 / 100 - fillerChars * 20 / 100, random,
                this::userSetting);
        List<String> userProducts = new ArrayList<>();
        uninstallEntries(hive + "\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall", machine64 + machine32,
                user, random, userProducts);
        installerProducts(hive + "\\Software\\Microsoft\\Installer\\Products", userProducts);
    }

    private void operatingSystem() throws IOException {
        key(HKLM + "\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion");
        string("ProductName", "Windows 10 Pro");
        string("CurrentBuildNumber", "22631");
        string("CurrentBuild", "22631");
        string("DisplayVersion", "23H2");
        string("EditionID", "Professional");
        string("InstallationType", "Client");
        dword("CurrentMajorVersionNumber", 10);
        dword("CurrentMinorVersionNumber", 0);
        dword("UBR", 4460);
        dword("InstallDate", 1707645751);
        hex("DigitalProductId", 2, bytes(new Random(7), 164));
    }

    private void system() throws IOException {
        key(HKLM + "\\SYSTEM\\ControlSet001\\Control\\ComputerName\\ComputerName");
        string("ComputerName", "BENCH-HOST-01");
        key(HKLM + "\\SYSTEM\\ControlSet001\\Services\\Tcpip\\Parameters");
        string("Domain", "corp.example.com");
        string("Hostname", "bench-host-01");
        expandString("DataBasePath", "%SystemRoot%\\System32\\drivers\\etc");
        key(HKLM + "\\SYSTEM\\Select");
        dword("Current", 1);
        dword("Default", 1);
        dword("LastKnownGood", 1);
    }

    /**
     * Uninstall entries numbered from {@code first}: {@code count} that Programs and Features lists (EXE and MSI
     * installers), plus one in ten that it hides (system components, KB updates, child entries).
     */
    private void uninstallEntries(String parent, int first, int count, Random random, List<String> msiProducts)
            throws IOException {
        for (int i = first; i < first + count; i++) {
            boolean msi = i % 4 == 0;
            String name = "Product " + i + " " + WORDS[random.nextInt(WORDS.length)];
            String version = (1 + random.nextInt(30)) + "." + random.nextInt(10) + "." + random.nextInt(10000);
            String publisher = PUBLISHERS[random.nextInt(PUBLISHERS.length)];
            String location = "C:\\Program Files\\" + publisher.replaceAll("[^A-Za-z]", "") + "\\" + name + "\\";
            if (msi) {
                String guid = guid(random);
                msiProducts.add(pack(guid));
                key(parent + "\\" + guid);
                string("DisplayName", name);
                string("DisplayVersion", version);
                string("Publisher", publisher);
                string("InstallDate", String.format(Locale.ROOT, "2024%02d%02d", 1 + random.nextInt(12),
                        1 + random.nextInt(28)));
                string("InstallLocation", location);
                expandString("UninstallString", "MsiExec.exe /X" + guid);
                expandString("ModifyPath", "MsiExec.exe /I" + guid);
                dword("EstimatedSize", random.nextInt(2_000_000));
                dword("WindowsInstaller", 1);
                dword("Language", 1033);
                dword("VersionMajor", 1);
                dword("VersionMinor", 0);
            } else {
                key(parent + "\\" + name.replace(' ', '_'));
                string("DisplayName", name);
                string("DisplayVersion", version);
                string("Publisher", publisher);
                string("InstallLocation", location);
                string("UninstallString", "\"" + location + "uninstall.exe\" /S");
                string("DisplayIcon", location + "app.exe,0");
                string("URLInfoAbout", "https://www.example.com/products/" + i);
                dword("EstimatedSize", random.nextInt(500_000));
                dword("NoModify", 1);
                dword("NoRepair", 1);
            }
            listed++;
            if (i % 10 == 0) {
                hiddenEntry(parent, i, random);
            }
        }
    }

    private void hiddenEntry(String parent, int i, Random random) throws IOException {
        switch (i / 10 % 3) {
            case 0 -> {
                key(parent + "\\" + guid(random));
                string("DisplayName", "Component " + i);
                dword("SystemComponent", 1);
                dword("WindowsInstaller", 1);
            }
            case 1 -> {
                key(parent + "\\KB" + (5_000_000 + i));
                string("DisplayName", "KB" + (5_000_000 + i));
                string("ReleaseType", "Security Update");
            }
            default -> {
                key(parent + "\\Product " + i + " Language Pack");
                string("DisplayName", "Product " + i + " Language Pack");
                string("ParentKeyName", "Product " + i);
                string("ParentDisplayName", "Product " + i);
            }
        }
    }

    private void installerProducts(String parent, List<String> packedGuids) throws IOException {
        for (String packed : packedGuids) {
            key(parent + "\\" + packed);
            string("ProductName", "Product");
            dword("Language", 1033);
            dword("Version", 16_777_216);
        }
    }

    /** Writes keys under {@code parent} with {@code kind} until {@code budgetChars} more characters are written. */
    private void filler(String parent, long budgetChars, Random random, FillerKind kind) throws IOException {
        long stop = chars + budgetChars;
        for (int i = 0; chars < stop; i++) {
            kind.write(parent, i, random);
        }
    }

    private void comClass(String parent, int i, Random random) throws IOException {
        String clsid = parent + "\\" + guid(random);
        key(clsid);
        string("", "Component Class " + i);
        key(clsid + "\\InprocServer32");
        expandString("", "%SystemRoot%\\SysWOW64\\component" + i + ".dll");
        string("ThreadingModel", random.nextBoolean() ? "Both" : "Apartment");
    }

    private void service(String parent, int i, Random random) throws IOException {
        key(parent + "\\svc" + i);
        string("DisplayName", "@%SystemRoot%\\system32\\svc" + i + ".dll,-100");
        expandString("ImagePath", "%SystemRoot%\\system32\\svchost.exe -k netsvcs -p");
        dword("Start", random.nextInt(5));
        dword("Type", 32);
        dword("ErrorControl", 1);
        string("ObjectName", "LocalSystem");
        hex("FailureActions", 0, bytes(random, 20 + random.nextInt(40)));
        multiString("DependOnService", List.of("RpcSs", "Tcpip"));
    }

    private void userSetting(String parent, int i, Random random) throws IOException {
        key(parent + "\\Vendor" + i / 50 + "\\App" + i + "\\Settings");
        string("LastOpened", "C:\\Users\\bench\\Documents\\file" + random.nextInt(100_000) + ".txt");
        dword("WindowWidth", 800 + random.nextInt(800));
    }

    private void key(String path) throws IOException {
        line("");
        line("[" + path + "]");
        keys++;
    }

    private void string(String name, String value) throws IOException {
        line(valueName(name) + "=\"" + escape(value) + "\"");
    }

    private void dword(String name, long value) throws IOException {
        line(valueName(name) + "=" + String.format(Locale.ROOT, "dword:%08x", value & 0xFFFFFFFFL));
    }

    private void expandString(String name, String value) throws IOException {
        hex(name, 2, utf16WithNul(value + "\0"));
    }

    private void multiString(String name, List<String> values) throws IOException {
        hex(name, 7, utf16WithNul(String.join("\0", values) + "\0\0"));
    }

    /** Hex data as regedit wraps it: a line ends with {@code ,\} near 80 columns; the next starts with 2 spaces. */
    private void hex(String name, int type, byte[] data) throws IOException {
        StringBuilder text = new StringBuilder(valueName(name)).append('=')
                .append(type == 0 ? "hex:" : "hex(" + Integer.toHexString(type) + "):");
        int lineStart = 0;
        for (int i = 0; i < data.length; i++) {
            text.append(Character.forDigit((data[i] >> 4) & 0xF, 16)).append(Character.forDigit(data[i] & 0xF, 16));
            if (i < data.length - 1) {
                text.append(',');
                if (text.length() - lineStart >= 76) {
                    text.append("\\\r\n  ");
                    lineStart = text.length() - 2;
                }
            }
        }
        line(text.toString());
    }

    private void line(String text) throws IOException {
        out.write(text);
        out.write("\r\n");
        chars += text.length() + 2;
    }

    private static String valueName(String name) {
        return name.isEmpty() ? "@" : "\"" + escape(name) + "\"";
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static byte[] utf16WithNul(String text) {
        return text.getBytes(StandardCharsets.UTF_16LE);
    }

    private static byte[] bytes(Random random, int count) {
        byte[] data = new byte[count];
        random.nextBytes(data);
        return data;
    }

    private static String guid(Random random) {
        String hex = String.format(Locale.ROOT, "%016X%016X", random.nextLong(), random.nextLong());
        return "{" + hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20) + "}";
    }

    /**
     * The packed form Windows Installer registers a product code under: the first three groups reversed, and
     * the two hex digits of each remaining byte swapped.
     */
    static String pack(String guid) {
        String digits = guid.replaceAll("[{}-]", "");
        StringBuilder packed = new StringBuilder(32);
        packed.append(new StringBuilder(digits.substring(0, 8)).reverse());
        packed.append(new StringBuilder(digits.substring(8, 12)).reverse());
        packed.append(new StringBuilder(digits.substring(12, 16)).reverse());
        for (int i = 16; i < 32; i += 2) {
            packed.append(digits.charAt(i + 1)).append(digits.charAt(i));
        }
        return packed.toString();
    }

    @FunctionalInterface
    private interface FillerKind {
        void write(String parent, int index, Random random) throws IOException;
    }

    /** Counts characters instead of writing them, to size the filler before the real pass. */
    private static final class CountingWriter extends Writer {

        private long count;

        @Override
        public void write(char[] buffer, int offset, int length) {
            count += length;
        }

        @Override
        public void write(String text) {
            count += text.length();
        }

        @Override
        public void flush() {
            // Nothing is buffered.
        }

        @Override
        public void close() {
            // Nothing to release.
        }
    }
}
