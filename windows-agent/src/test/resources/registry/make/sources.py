#!/usr/bin/env python3
"""Writes the registry contents that make-fixtures.sh imports into Wine's regedit and exports as fixtures.

Each source is regedit import text (UTF-8 here; the shell script converts version 5 files to UTF-16LE with a
BOM, which is what regedit needs to read non-ASCII text). Only the exports regedit writes are test fixtures;
these sources say what went into them.
"""
import pathlib
import struct
import sys

UNINSTALL = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"
UNINSTALL_32 = r"SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall"
USER_UNINSTALL = r"Software\Microsoft\Windows\CurrentVersion\Uninstall"
PRODUCTS = r"HKEY_LOCAL_MACHINE\SOFTWARE\Classes\Installer\Products"


def sz(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hexbytes(data):
    return ",".join("%02x" % b for b in data)


def expand(text):
    return "hex(2):" + hexbytes((text + "\0").encode("utf-16-le"))


def multi(texts):
    return "hex(7):" + hexbytes(("\0".join(texts) + "\0\0").encode("utf-16-le"))


def qword(number):
    return "hex(b):" + hexbytes(struct.pack("<Q", number))


def dword(number):
    return "dword:%08x" % number


def packed(guid):
    h = guid.strip("{}").replace("-", "").upper()
    out = h[0:8][::-1] + h[8:12][::-1] + h[12:16][::-1]
    for i in range(16, 32, 2):
        out += h[i + 1] + h[i]
    return out


class Source:
    def __init__(self, header="Windows Registry Editor Version 5.00"):
        self.lines = [header, ""]

    def delete(self, key):
        self.lines += ["[-" + key + "]", ""]

    def key(self, key, **values):
        self.lines.append("[" + key + "]")
        for name, data in values.items():
            shown = "@" if name == "default" else sz(name)
            self.lines.append(shown + "=" + data)
        self.lines.append("")

    def program(self, root, name, display=None, **values):
        if display is not None:
            values = {"DisplayName": sz(display), **values}
        self.key(root + "\\" + name, **values)

    def msi_product(self, guid, name):
        self.key(PRODUCTS + "\\" + packed(guid), ProductName=sz(name), Language=dword(1033),
                 Version=dword(0x01000000), Assignment=dword(1))

    def write(self, path):
        pathlib.Path(path).write_text("\r\n".join(self.lines) + "\r\n", encoding="utf-8", newline="")


def msi(guid, display, version, publisher, date, size, location=None, **extra):
    values = {"DisplayName": sz(display), "DisplayVersion": sz(version), "Publisher": sz(publisher),
              "InstallDate": sz(date), "EstimatedSize": dword(size), "WindowsInstaller": dword(1),
              "UninstallString": expand("MsiExec.exe /X" + guid), "ModifyPath": expand("MsiExec.exe /I" + guid),
              "NoModify": dword(1), "Language": dword(1033)}
    if location:
        values["InstallLocation"] = sz(location)
    values.update(extra)
    return values


def exe(display, version, publisher, uninstall, date=None, size=None, location=None, **extra):
    values = {"DisplayName": sz(display), "DisplayVersion": sz(version), "Publisher": sz(publisher),
              "UninstallString": sz(uninstall)}
    if date:
        values["InstallDate"] = sz(date)
    if size:
        values["EstimatedSize"] = dword(size)
    if location:
        values["InstallLocation"] = sz(location)
    values.update(extra)
    return values


HKLM = "HKEY_LOCAL_MACHINE"
JDOE = "S-1-5-21-3623811015-3361044348-30300820-1013"
ASMITH = "S-1-5-21-3623811015-3361044348-30300820-1104"

DIGITAL_PRODUCT_ID = bytes([0xa4, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00]) + b"00330-80000-00000-AA123" + bytes(
    range(0x20, 0xa4))


NT = HKLM + r"\SOFTWARE\Microsoft\Windows NT\CurrentVersion"
NT32 = HKLM + r"\SOFTWARE\WOW6432Node\Microsoft\Windows NT\CurrentVersion"


def wipe(s):
    """Removes what a fresh Wine prefix has in the exported keys. Wine refuses to delete all of CurrentVersion,
    so its large Time Zones subtree and the Windows 7 CSDVersion value go one by one."""
    for key in (NT + r"\Time Zones", NT32 + r"\Time Zones", NT, NT32, HKLM + "\\" + UNINSTALL,
                HKLM + "\\" + UNINSTALL_32, PRODUCTS):
        s.delete(key)
    s.key(NT, CSDVersion="-")
    s.key(NT32, CSDVersion="-")
    return s


def workstation():
    """A Windows 11 Pro 23H2 office workstation, exported the way a live system is (ControlSet001, no
    CurrentControlSet), with the stale WOW6432Node copy of CurrentVersion an in-place upgrade leaves."""
    s = wipe(Source())
    nt = NT
    nt32 = NT32
    s.key(nt, SystemRoot=sz(r"C:\WINDOWS"), BuildBranch=sz("ni_release"), BuildGUID=sz("ffffffff-ffff-ffff-ffff-ffffffffffff"),
          BuildLab=sz("22621.ni_release.220506-1250"), BuildLabEx=sz("22621.1.amd64fre.ni_release.220506-1250"),
          CompositionEditionID=sz("Enterprise"), CurrentBuild=sz("22631"), CurrentBuildNumber=sz("22631"),
          CurrentMajorVersionNumber=dword(10), CurrentMinorVersionNumber=dword(0), CurrentType=sz("Multiprocessor Free"),
          CurrentVersion=sz("6.3"), DisplayVersion=sz("23H2"), EditionID=sz("Professional"),
          EditionSubManufacturer=sz(""), EditionSubstring=sz(""), EditionSubVersion=sz(""),
          InstallationType=sz("Client"), InstallDate=dword(1699879543), InstallTime=qword(133443531430000000),
          LCUVer=sz("10.0.22621.4460"), ProductName=sz("Windows 10 Pro"), ReleaseId=sz("2009"),
          SoftwareType=sz("System"), UBR=dword(4460), PathName=sz(r"C:\Windows"), ProductId=sz("00330-80000-00000-AA123"),
          DigitalProductId="hex:" + hexbytes(DIGITAL_PRODUCT_ID), RegisteredOrganization=sz("Acme Corp"),
          RegisteredOwner=sz("Acme Corp IT"))
    s.key(nt + r"\Winlogon", Shell=sz("explorer.exe"), Userinit=sz(r"C:\Windows\system32\userinit.exe,"))
    s.key(nt32, CurrentBuild=sz("19045"), CurrentBuildNumber=sz("19045"), CurrentMajorVersionNumber=dword(10),
          CurrentMinorVersionNumber=dword(0), CurrentVersion=sz("6.3"), DisplayVersion=sz("22H2"),
          EditionID=sz("Professional"), InstallationType=sz("Client"), ProductName=sz("Windows 10 Pro"),
          ReleaseId=sz("2009"), UBR=dword(3803))

    control_set = HKLM + r"\SYSTEM\ControlSet001"
    s.key(control_set + r"\Control\ComputerName\ComputerName", ComputerName=sz("WS-ACCT-042"))
    s.key(control_set + r"\Control\ComputerName\ActiveComputerName", ComputerName=sz("WS-ACCT-042"))
    s.key(control_set + r"\Services\Tcpip\Parameters", Hostname=sz("ws-acct-042"), Domain=sz("corp.example.com"),
          **{"NV Hostname": sz("ws-acct-042"), "NV Domain": sz("corp.example.com")},
          SearchList=sz("corp.example.com,example.com"), DataBasePath=expand(r"%SystemRoot%\System32\drivers\etc"))
    s.key(HKLM + r"\SYSTEM\Select", Current=dword(1), Default=dword(1), Failed=dword(0), LastKnownGood=dword(1))

    u64 = HKLM + "\\" + UNINSTALL
    u32 = HKLM + "\\" + UNINSTALL_32
    # Leftovers every Windows install has: no DisplayName, or marked as system components.
    s.program(u64, "AddressBook")
    s.program(u64, "Connection Manager", SystemComponent=dword(1))
    s.program(u64, "WIC", NoRemove=dword(1))
    s.program(u64, "7-Zip", **exe("7-Zip 23.01 (x64)", "23.01", "Igor Pavlov", r"C:\Program Files\7-Zip\Uninstall.exe",
                                  size=5814, location="C:\\Program Files\\7-Zip\\", NoModify=dword(1), NoRepair=dword(1)))
    s.program(u64, "Git_is1", **exe("Git", "2.43.0", "The Git Development Community",
                                    r'"C:\Program Files\Git\unins000.exe"', date="20240115", size=345227,
                                    location="C:\\Program Files\\Git\\"))
    s.program(u64, "Mozilla Firefox 121.0.1 (x64 en-US)",
              **exe("Mozilla Firefox (x64 en-US)", "121.0.1", "Mozilla", r'"C:\Program Files\Mozilla Firefox\uninstall\helper.exe"',
                    size=237416, location=r"C:\Program Files\Mozilla Firefox"))
    s.program(u64, "MozillaMaintenanceService",
              **exe("Mozilla Maintenance Service", "121.0.1", "Mozilla",
                    r'"C:\Program Files (x86)\Mozilla Maintenance Service\uninstall.exe"'))
    s.program(u64, "Notepad++", **exe("Notepad++ (64-bit x64)", "8.6.2", "Notepad++ Team",
                                      r'"C:\Program Files\Notepad++\uninstall.exe"', size=15000))
    s.program(u64, "ProPlus2021Volume - en-us",
              **exe("Microsoft Office Professional Plus 2021 - en-us", "16.0.17126.20132", "Microsoft Corporation",
                    r'"C:\Program Files\Common Files\Microsoft Shared\ClickToRun\OfficeClickToRun.exe" scenario=install '
                    r'scenariosubtype=ARP sourcetype=None productstoremove=ProPlus2021Volume.16_en-us_x-none '
                    r'culture=en-us version.16=16.0', location=r"C:\Program Files\Microsoft Office"))
    s.program(u64, "{90160000-008C-0000-1000-0000000FF1CE}",
              **msi("{90160000-008C-0000-1000-0000000FF1CE}", "Office 16 Click-to-Run Extensibility Component",
                    "16.0.17126.20132", "Microsoft Corporation", "20231114", 98000, SystemComponent=dword(1)))
    s.program(u64, "{1FC1A6C2-576E-489A-9B4A-92D21F542136}",
              **msi("{1FC1A6C2-576E-489A-9B4A-92D21F542136}", "Microsoft Update Health Tools", "5.72.0.0",
                    "Microsoft Corporation", "20231113", 1024))
    s.program(u64, "{26A24AE4-039D-4CA4-87B4-2F64180391F0}",
              **msi("{26A24AE4-039D-4CA4-87B4-2F64180391F0}", "Java 8 Update 391 (64-bit)", "8.0.3910.13",
                    "Oracle Corporation", "20231120", 128000, location="C:\\Program Files\\Java\\jre-1.8\\"))
    s.program(u64, "{6A2A3E0C-3B6A-4A36-9C0D-4F6A2D9E1B11}",
              **msi("{6A2A3E0C-3B6A-4A36-9C0D-4F6A2D9E1B11}", "Cisco Secure Client - AnyConnect VPN", "5.1.2.42",
                    "Cisco Systems, Inc.", "20240108", 61000))
    s.program(u64, "{0E1B7C55-2D3A-4B8F-A3E1-7C0F5B2D9A42}",
              **msi("{0E1B7C55-2D3A-4B8F-A3E1-7C0F5B2D9A42}", "Dell Command | Update for Windows Universal",
                    "5.1.0", "Dell Inc.", "20231201", 52000))
    s.program(u64, "{C2B8F4A3-1D5E-4F7A-8B9C-0D1E2F3A4B5C}",
              **msi("{C2B8F4A3-1D5E-4F7A-8B9C-0D1E2F3A4B5C}", "CrowdStrike Windows Sensor", "7.10.17706.0",
                    "CrowdStrike, Inc.", "20231215", 170000))
    # An MSI entry whose product registration is gone: Programs and Features does not show it.
    s.program(u64, "{D8E9F0A1-B2C3-4D5E-6F70-8192A3B4C5D6}",
              **msi("{D8E9F0A1-B2C3-4D5E-6F70-8192A3B4C5D6}", "Contoso Legacy Agent", "2.3.1", "Contoso Ltd.",
                    "20190611", 4096))
    s.program(u64, "{F132AF7F-7BCA-4EDE-8A7C-958108FE7DBC}",
              **exe("Realtek Audio Driver", "6.0.9549.1", "Realtek Semiconductor Corp.",
                    r'"C:\Program Files (x86)\InstallShield Installation Information\{F132AF7F-7BCA-4EDE-8A7C-958108FE7DBC}\setup.exe"',
                    date="20231113"))
    s.program(u64, "{3407B900-37F5-4CC2-B612-E8B5BE3BE9F3}",
              **exe("Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.38.33130", "14.38.33130.0",
                    "Microsoft Corporation",
                    r'"C:\ProgramData\Package Cache\{3407b900-37f5-4cc2-b612-e8b5be3be9f3}\VC_redist.x64.exe"  /uninstall',
                    size=20526, BundleVersion=sz("14.38.33130.0"), BundleProviderKey=sz("VC,redist.x64,amd64,14.38,bundle")))
    s.program(u64, "{A181A302-3F6D-4BAD-97A8-A426A6499D78}",
              **exe("Python 3.12.1 (64-bit)", "3.12.1150.0", "Python Software Foundation",
                    r'"C:\ProgramData\Package Cache\{a181a302-3f6d-4bad-97a8-a426a6499d78}\python-3.12.1-amd64.exe"  /uninstall',
                    date="20240110", size=101234))
    s.program(u64, "VLC media player", **exe("VLC media player", "3.0.20", "VideoLAN",
                                             r"C:\Program Files\VideoLAN\VLC\uninstall.exe", size=169000))
    s.program(u64, "PuTTY release 0.80 (64-bit)",
              **exe("PuTTY release 0.80 (64-bit)", "0.80.0.0", "Simon Tatham", "MsiExec.exe /X{PUTTY}", date="20231219"))
    s.program(u64, "KB5034441", **exe("KB5034441", "", "Microsoft Corporation", "wusa.exe /uninstall /kb:5034441"))
    s.program(u64, "{5B4A1A73-CF5D-4B2A-9D66-07F8A57E77C5}.KB5033914",
              **exe("Security Update for Microsoft .NET Framework 4.8 (KB5033914)", "1", "Microsoft Corporation",
                    "", ReleaseType=sz("Security Update"), ParentKeyName=sz("Microsoft .NET Framework 4.8"),
                    ParentDisplayName=sz("Microsoft .NET Framework 4.8")))
    s.program(u64, "Sage 100 Comptabilité", **exe("Sage 100 Comptabilité", "13.10", "Sage",
                                                   r"C:\Program Files\Sage\Comptabilité\unins000.exe", date="20230904",
                                                   location="C:\\Program Files\\Sage\\Comptabilité\\"))

    s.program(u32, "Google Chrome", **exe("Google Chrome", "120.0.6099.217", "Google LLC",
                                          r'"C:\Program Files\Google\Chrome\Application\120.0.6099.217\Installer\setup.exe" --uninstall --channel=stable --system-level --verbose-logging',
                                          date="20240116", location=r"C:\Program Files\Google\Chrome\Application"))
    s.program(u32, "Microsoft Edge", **exe("Microsoft Edge", "120.0.2210.133", "Microsoft Corporation",
                                           r'"C:\Program Files (x86)\Microsoft\Edge\Application\120.0.2210.133\Installer\setup.exe" --uninstall --msedge --channel=stable --system-level --verbose-logging',
                                           date="20240118", location=r"C:\Program Files (x86)\Microsoft\Edge\Application"))
    s.program(u32, "Microsoft EdgeWebView", **exe("Microsoft Edge WebView2 Runtime", "120.0.2210.133",
                                                  "Microsoft Corporation",
                                                  r'"C:\Program Files (x86)\Microsoft\EdgeWebView\Application\120.0.2210.133\Installer\setup.exe" --uninstall --msedgewebview --system-level --verbose-logging',
                                                  date="20240118"))
    s.program(u32, "{AC76BA86-7AD7-1033-7B44-AC0F074E4100}",
              **msi("{AC76BA86-7AD7-1033-7B44-AC0F074E4100}", "Adobe Acrobat Reader DC", "23.008.20470",
                    "Adobe Systems Incorporated", "20231212", 540000,
                    location="C:\\Program Files (x86)\\Adobe\\Acrobat Reader DC\\"))
    s.program(u32, "{A7AB73A3-CB10-4AA5-9D38-6AEFFBDE4C91}",
              **msi("{A7AB73A3-CB10-4AA5-9D38-6AEFFBDE4C91}", "Microsoft Teams Meeting Add-in for Microsoft Office",
                    "1.23.33413", "Microsoft", "20240105", 9000))
    s.program(u32, "{2AF4F9A6-D3C4-4F2D-9D18-2B6F7C3C5E11}",
              **exe("Microsoft Visual C++ 2015-2022 Redistributable (x86) - 14.38.33130", "14.38.33130.0",
                    "Microsoft Corporation",
                    r'"C:\ProgramData\Package Cache\{2af4f9a6-d3c4-4f2d-9d18-2b6f7c3c5e11}\VC_redist.x86.exe"  /uninstall',
                    size=18142))
    s.program(u32, "{7B7E5F83-2C2D-4E1F-8C3A-9F1E0D2C3B4A}",
              **msi("{7B7E5F83-2C2D-4E1F-8C3A-9F1E0D2C3B4A}", "Microsoft Visual C++ 2022 X86 Additional Runtime - 14.38.33130",
                    "14.38.33130", "Microsoft Corporation", "20231113", 11000, SystemComponent=dword(1)))
    s.program(u32, "{61087A79-AC85-455C-934D-1FA22CC64F36}",
              **exe("Microsoft Visual C++ 2013 Redistributable (x86) - 12.0.40664", "12.0.40664.0",
                    "Microsoft Corporation",
                    r'"C:\ProgramData\Package Cache\{61087a79-ac85-455c-934d-1fa22cc64f36}\vcredist_x86.exe"  /uninstall',
                    size=17000))
    s.program(u32, "TeamViewer", **exe("TeamViewer", "15.49.2", "TeamViewer",
                                       r"C:\Program Files\TeamViewer\uninstall.exe", size=150000,
                                       location=r"C:\Program Files\TeamViewer"))
    s.program(u32, "Hidemaru Editor", **exe("秀丸エディタ", "9.25", "有限会社サイトー企画",
                                            r"C:\Program Files (x86)\Hidemaru\HmSetup.exe /u", date="20231020",
                                            location="C:\\Program Files (x86)\\Hidemaru\\"))
    s.program(u32, "Zoom Outlook Plugin", **exe("Zoom Outlook Plugin", "5.17.0", "Zoom Video Communications, Inc.",
                                                r"MsiExec.exe /X{ZOOM}", ParentKeyName=sz("ZoomUMX")))

    for guid, name in [("{1FC1A6C2-576E-489A-9B4A-92D21F542136}", "Microsoft Update Health Tools"),
                       ("{26A24AE4-039D-4CA4-87B4-2F64180391F0}", "Java 8 Update 391 (64-bit)"),
                       ("{6A2A3E0C-3B6A-4A36-9C0D-4F6A2D9E1B11}", "Cisco Secure Client - AnyConnect VPN"),
                       ("{0E1B7C55-2D3A-4B8F-A3E1-7C0F5B2D9A42}", "Dell Command | Update for Windows Universal"),
                       ("{C2B8F4A3-1D5E-4F7A-8B9C-0D1E2F3A4B5C}", "CrowdStrike Windows Sensor"),
                       ("{90160000-008C-0000-1000-0000000FF1CE}", "Office 16 Click-to-Run Extensibility Component"),
                       ("{AC76BA86-7AD7-1033-7B44-AC0F074E4100}", "Adobe Acrobat Reader DC"),
                       ("{A7AB73A3-CB10-4AA5-9D38-6AEFFBDE4C91}", "Microsoft Teams Meeting Add-in for Microsoft Office"),
                       ("{7B7E5F83-2C2D-4E1F-8C3A-9F1E0D2C3B4A}",
                        "Microsoft Visual C++ 2022 X86 Additional Runtime - 14.38.33130")]:
        s.msi_product(guid, name)

    for sid, programs in [(JDOE, [
        ("{771FD6B0-FA20-440A-A002-3B3BAC16DC50}_is1",
         exe("Microsoft Visual Studio Code (User)", "1.85.2", "Microsoft Corporation",
             r'"C:\Users\jdoe\AppData\Local\Programs\Microsoft VS Code\unins000.exe"', date="20240112",
             size=362000)),
        ("ZoomUMX", exe("Zoom", "5.17.5 (30853)", "Zoom Video Communications, Inc.",
                        r'"C:\Users\jdoe\AppData\Roaming\Zoom\uninstall\Installer.exe" /uninstall')),
        ("OneDriveSetup.exe", exe("Microsoft OneDrive", "23.246.1127.0002", "Microsoft Corporation",
                                  r"C:\Users\jdoe\AppData\Local\Microsoft\OneDrive\23.246.1127.0002\OneDriveSetup.exe  /uninstall ",
                                  size=290000)),
        ("slack", exe("Slack", "4.36.140", "Slack Technologies Inc.",
                      r'"C:\Users\jdoe\AppData\Local\slack\Update.exe" --uninstall -s', date="20240109")),
    ]), (ASMITH, [
        ("ZoomUMX", exe("Zoom", "5.16.10 (26186)", "Zoom Video Communications, Inc.",
                        r'"C:\Users\asmith\AppData\Roaming\Zoom\uninstall\Installer.exe" /uninstall')),
        ("OneDriveSetup.exe", exe("Microsoft OneDrive", "23.246.1127.0002", "Microsoft Corporation",
                                  r"C:\Users\asmith\AppData\Local\Microsoft\OneDrive\23.246.1127.0002\OneDriveSetup.exe  /uninstall ",
                                  size=290000)),
        ("Spotify", exe("Spotify", "1.2.28.581.gce3c5f60", "Spotify AB",
                        r'"C:\Users\asmith\AppData\Roaming\Spotify\Spotify.exe" /uninstall', size=380000)),
    ])]:
        hive = "HKEY_USERS\\" + sid
        s.key(hive + r"\Environment", TEMP=expand(r"%USERPROFILE%\AppData\Local\Temp"))
        for name, values in programs:
            s.program(hive + "\\" + USER_UNINSTALL, name, **values)
    s.key("HKEY_USERS\\" + JDOE + r"_Classes\.txt", default=sz("txtfile"))
    return s


def rules():
    """One Uninstall entry per Programs and Features rule, each named for what the test expects of it."""
    s = Source()
    for key in (HKLM + "\\" + UNINSTALL, HKLM + "\\" + UNINSTALL_32, PRODUCTS,
                HKLM + r"\SOFTWARE\Microsoft\Windows NT\CurrentVersion"):
        s.delete(key)
    u64 = HKLM + "\\" + UNINSTALL
    u32 = HKLM + "\\" + UNINSTALL_32
    listed_msi = "{11111111-2222-3333-4444-555555555555}"
    orphan_msi = "{66666666-7777-8888-9999-AAAAAAAAAAAA}"
    user_msi = "{BBBBBBBB-CCCC-DDDD-EEEE-FFFFFFFFFFFF}"
    s.program(u64, "listed-plain", "Plain Program", DisplayVersion=sz("1.0"))
    s.program(u64, "excluded-no-display-name", DisplayVersion=sz("1.0"))
    s.program(u64, "excluded-empty-display-name", "", DisplayVersion=sz("1.0"))
    s.program(u64, "excluded-kb", "KB5034441")
    s.program(u64, "listed-kb-in-sentence", "Update for Windows (KB5001716)")
    s.program(u64, "excluded-system-component", "System Component", SystemComponent=dword(1))
    s.program(u64, "listed-system-component-zero", "Visible Component", SystemComponent=dword(0))
    s.program(u64, "excluded-parent", "Child Update", ParentKeyName=sz("Plain Program"))
    s.program(u64, "excluded-security-update", "Security Fix", ReleaseType=sz("Security Update"))
    s.program(u64, "excluded-update-rollup", "Rollup", ReleaseType=sz("Update Rollup"))
    s.program(u64, "excluded-hotfix", "Hotfix Thing", ReleaseType=sz("Hotfix"))
    s.program(u64, "listed-release-type-update", "Feature Pack", ReleaseType=sz("Update"))
    s.program(u64, listed_msi, "Registered MSI", WindowsInstaller=dword(1), DisplayVersion=sz("2.0"),
              UninstallString=expand("MsiExec.exe /X" + listed_msi))
    s.program(u64, orphan_msi, "Orphaned MSI", WindowsInstaller=dword(1))
    s.program(u64, "excluded-msi-not-guid", "MSI Without Product Code", WindowsInstaller=dword(1))
    s.program(u64, "listed-date-compact", "Date Compact", InstallDate=sz("20240131"))
    s.program(u64, "listed-date-dashed", "Date Dashed", InstallDate=sz("2024-01-31"))
    s.program(u64, "listed-date-slashed", "Date Slashed", InstallDate=sz("31/01/2024"))
    s.program(u64, "listed-date-impossible", "Date Impossible", InstallDate=sz("20241340"))
    s.program(u64, "listed-unicode-japanese", "日本語ソフト", Publisher=sz("株式会社テスト"))
    s.program(u64, "listed-unicode-accented", "Éditeur Crème Brûlée", Publisher=sz("Société Générale"))
    s.program(u64, "listed-duplicate-a", "Duplicate", DisplayVersion=sz("3.0"))
    s.program(u64, "listed-duplicate-b", "Duplicate", DisplayVersion=sz("3.0"))
    s.program(u64, "listed-size-and-strings", "Sized", EstimatedSize=dword(2048), InstallLocation=expand(r"%ProgramFiles%\Sized"),
              Comments=multi(["first line", "zweite Zeile", "三行目"]), InstallTime=qword(133443531430000000),
              Blob="hex:" + hexbytes(bytes(range(200))))
    s.program(u32, "listed-duplicate-a", "Duplicate", DisplayVersion=sz("3.0"))
    s.program(u32, "listed-32-bit-only", "Legacy 32-bit Tool", DisplayVersion=sz("0.9"))
    s.msi_product(listed_msi, "Registered MSI")
    for sid in ("S-1-5-21-1000-2000-3000-1001", "S-1-5-21-1000-2000-3000-1002"):
        s.program("HKEY_USERS\\" + sid + "\\" + USER_UNINSTALL, "listed-user-program", "Per-User Program",
                  DisplayVersion=sz("1.5"))
    s.program("HKEY_USERS\\S-1-5-21-1000-2000-3000-1001\\" + USER_UNINSTALL, user_msi, "Per-User MSI",
              WindowsInstaller=dword(1))
    s.key("HKEY_USERS\\S-1-5-21-1000-2000-3000-1001\\Software\\Microsoft\\Installer\\Products\\" + packed(user_msi),
          ProductName=sz("Per-User MSI"))
    s.program("HKEY_USERS\\S-1-5-21-1000-2000-3000-1001_Classes\\" + USER_UNINSTALL, "excluded-classes-hive",
              "Classes Hive Program")
    s.program("HKEY_USERS\\S-1-5-21-1000-2000-3000-1002\\" + USER_UNINSTALL, "listed-user-only", "Second User Tool")
    return s


def value_types():
    """Every value type regedit writes, under one fixture key, with names and data that need escaping."""
    s = Source()
    root = HKLM + r"\SOFTWARE\InventoryFixture"
    s.delete(root)
    s.key(root + r"\Types", default=sz("default value"), String=sz("plain text"), Empty=sz(""),
          Escaped=sz(r'C:\Program Files\"quoted"\end\\'),
          **{"Name \"with\" quotes\\and backslash": sz("odd name")},
          Dword=dword(42), DwordMax=dword(0xFFFFFFFF), Qword=qword(0x0102030405060708),
          Binary="hex:" + hexbytes(bytes(range(100))), EmptyBinary="hex:",
          Expand=expand(r"%ProgramFiles%\Café"), Multi=multi(["one", "deux", "三"]), EmptyMulti=multi([]),
          NoneType="hex(0):01,02", BigEndian="hex(5):00,00,01,00")
    s.key(root + r"\Ünïcödé 日本語 key", Name=sz("値"))
    s.key(root + r"\Empty")
    return s


def regedit4():
    """A REGEDIT4 file in the ANSI code page, as older tools write them: imported as is."""
    root = HKLM + r"\SOFTWARE\InventoryFixture"
    s = Source("REGEDIT4")
    s.delete(root)
    s.key(root + r"\Legacy", default=sz("ANSI défaut"), Name=sz("Café crème"), Dword=dword(7),
          Expand="hex(2):" + hexbytes("%SystemRoot%\\Système\0".encode("cp1252")),
          Multi="hex(7):" + hexbytes("alpha\0bêta\0\0".encode("cp1252")),
          Qword=qword(1 << 40), Binary="hex:" + hexbytes(bytes(range(40))))
    s.lines.insert(2, "; written for the REGEDIT4 reader test")
    return s


def deletions():
    """Applied after value_types: deletes a key, a value and the default value, and adds one value."""
    root = HKLM + r"\SOFTWARE\InventoryFixture"
    s = Source()
    s.delete(root + r"\Empty")
    s.key(root + r"\Types", String="-", default="-", Added=sz("added later"))
    s.lines.insert(2, "; deletions on top of value-types")
    return s


def main(out):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    workstation().write(out / "workstation.txt")
    wipe(Source()).write(out / "workstation-wipe.txt")
    rules().write(out / "rules.txt")
    value_types().write(out / "value-types.txt")
    deletions().write(out / "deletions.txt")
    text = "\r\n".join(regedit4().lines) + "\r\n"
    (out / "regedit4.reg").write_bytes(text.encode("cp1252"))


if __name__ == "__main__":
    main(sys.argv[1])
