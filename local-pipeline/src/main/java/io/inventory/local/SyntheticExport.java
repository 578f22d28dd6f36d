package io.inventory.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A made-up Windows host written as regedit writes an export (UTF-16LE with a byte order mark, the
 * {@code Windows Registry Editor Version 5.00} header, CRLF, a blank line before each key, {@code hex(2)} data
 * wrapped near 80 columns), holding the keys the agent reads: the computer name, the OS version and
 * {@code programCount} Programs and Features entries that all pass the agent's filter. Tests and local runs use it
 * for hosts other than the bundled sample, and for hosts far larger than it.
 *
 * @param computerName   the host's ComputerName, which is the host the pipeline files the inventory under
 * @param programCount   number of Uninstall entries, each a distinct program
 * @param programVersion DisplayVersion of every program, so that two exports of one host can differ
 */
public record SyntheticExport(String computerName, int programCount, String programVersion) {

    private static final String CRLF = "\r\n";
    private static final int WRAP_COLUMN = 76;
    private static final String UNINSTALL =
            "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall";

    public SyntheticExport {
        if (!computerName.matches("[A-Za-z0-9-]{1,15}")) {
            throw new IllegalArgumentException("a NetBIOS computer name is 1 to 15 letters, digits or '-': "
                    + computerName);
        }
        if (programCount < 0) {
            throw new IllegalArgumentException("program count must not be negative: " + programCount);
        }
    }

    /** The DisplayName of every program in the export, in key order. */
    public List<String> programNames() {
        List<String> names = new ArrayList<>(programCount);
        for (int i = 0; i < programCount; i++) {
            names.add(programName(i));
        }
        return names;
    }

    /** Writes the export to {@code file}, replacing it, and returns the file. */
    public Path writeTo(Path file) throws IOException {
        StringBuilder reg = new StringBuilder(4096 + programCount * 900);
        reg.append('\uFEFF').append("Windows Registry Editor Version 5.00").append(CRLF);

        key(reg, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion");
        string(reg, "CurrentBuild", "19045");
        string(reg, "CurrentBuildNumber", "19045");
        dword(reg, "CurrentMajorVersionNumber", 10);
        dword(reg, "CurrentMinorVersionNumber", 0);
        string(reg, "DisplayVersion", "22H2");
        string(reg, "EditionID", "Enterprise");
        string(reg, "InstallationType", "Client");
        dword(reg, "InstallDate", 1_700_000_000);
        string(reg, "ProductName", "Windows 10 Enterprise");
        dword(reg, "UBR", 3803);

        key(reg, UNINSTALL);
        for (int i = 0; i < programCount; i++) {
            key(reg, UNINSTALL + "\\" + String.format(Locale.ROOT, "SyntheticApp%05d", i));
            string(reg, "DisplayName", programName(i));
            string(reg, "DisplayVersion", programVersion);
            dword(reg, "EstimatedSize", 1024 + i);
            string(reg, "InstallDate", "20240115");
            expandString(reg, "InstallLocation", "%ProgramFiles%\\Synthetic\\App " + i + "\\");
            string(reg, "Publisher", "Synthetic Vendor " + (i % 40));
            string(reg, "UninstallString", "\"C:\\Program Files\\Synthetic\\App " + i + "\\uninstall.exe\" /S");
        }

        key(reg, "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Control\\ComputerName\\ComputerName");
        string(reg, "ComputerName", computerName);
        key(reg, "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\Tcpip\\Parameters");
        string(reg, "Domain", "lab.example.com");
        string(reg, "Hostname", computerName.toLowerCase(Locale.ROOT));
        key(reg, "HKEY_LOCAL_MACHINE\\SYSTEM\\Select");
        dword(reg, "Current", 1);
        reg.append(CRLF);

        Files.write(file, reg.toString().getBytes(StandardCharsets.UTF_16LE));
        return file;
    }

    private static String programName(int index) {
        // Every 100th name is not ASCII, as on real hosts, so the UTF-16 path through the pipeline is exercised.
        String suffix = index % 100 == 7 ? " Comptabilité 会計" : "";
        return String.format(Locale.ROOT, "Synthetic Application %05d%s", index, suffix);
    }

    private static void key(StringBuilder reg, String path) {
        reg.append(CRLF).append('[').append(path).append(']').append(CRLF);
    }

    private static void string(StringBuilder reg, String name, String value) {
        reg.append(quoted(name)).append('=').append(quoted(value)).append(CRLF);
    }

    private static void dword(StringBuilder reg, String name, long value) {
        reg.append(quoted(name)).append("=dword:").append(String.format(Locale.ROOT, "%08x", value)).append(CRLF);
    }

    /** REG_EXPAND_SZ, which regedit writes as UTF-16LE bytes with a terminating NUL, wrapped with {@code ,\}. */
    private static void expandString(StringBuilder reg, String name, String value) {
        byte[] bytes = (value + '\0').getBytes(StandardCharsets.UTF_16LE);
        StringBuilder line = new StringBuilder(quoted(name)).append("=hex(2):");
        for (int i = 0; i < bytes.length; i++) {
            line.append(String.format(Locale.ROOT, "%02x", bytes[i] & 0xff));
            if (i < bytes.length - 1) {
                line.append(',');
                if (line.length() >= WRAP_COLUMN) {
                    reg.append(line).append('\\').append(CRLF);
                    line.setLength(0);
                    line.append("  ");
                }
            }
        }
        reg.append(line).append(CRLF);
    }

    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
