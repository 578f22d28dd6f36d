#!/usr/bin/env bash
# Regenerates the .reg fixtures with a real regedit: Wine's (Debian package wine64). Each source from
# sources.py is imported into a fresh WINEPREFIX with `regedit /S` and the keys are exported with `regedit /E`;
# the exports are the fixtures. samples/workstation.reg joins the workstation exports under one header, and is
# checked by importing it into another fresh prefix and comparing what regedit exports back.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
fixtures=$(dirname "$here")
repo=$(cd "$fixtures/../../../../.." && pwd)
work=$(mktemp -d /tmp/reg-fixtures.XXXXXX)
export WINEDEBUG=-all

python3 "$here/sources.py" "$work"

to_utf16() {
    { printf '\xff\xfe'; iconv -f utf-8 -t utf-16le "$1"; } > "$2"
}

new_prefix() {
    export WINEPREFIX="$work/prefix-$1"
    wineboot -i > /dev/null 2>&1
}

export_keys() {
    local dir=$1
    shift
    mkdir -p "$dir"
    while [ $# -gt 0 ]; do
        wine regedit /E "$dir/$1" "$2"
        shift 2
    done
}

HKLM=HKEY_LOCAL_MACHINE
JDOE=S-1-5-21-3623811015-3361044348-30300820-1013
ASMITH=S-1-5-21-3623811015-3361044348-30300820-1104
WORKSTATION_KEYS=(
    current-version.reg "$HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"
    current-version-wow64.reg "$HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows NT\\CurrentVersion"
    uninstall.reg "$HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall"
    uninstall-wow64.reg "$HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall"
    installer-products.reg "$HKLM\\SOFTWARE\\Classes\\Installer\\Products"
    computer-name.reg "$HKLM\\SYSTEM\\ControlSet001\\Control\\ComputerName"
    tcpip.reg "$HKLM\\SYSTEM\\ControlSet001\\Services\\Tcpip\\Parameters"
    select.reg "$HKLM\\SYSTEM\\Select"
    user-jdoe.reg "HKEY_USERS\\$JDOE"
    user-jdoe-classes.reg "HKEY_USERS\\${JDOE}_Classes"
    user-asmith.reg "HKEY_USERS\\$ASMITH"
)

# The sample workstation.
new_prefix workstation
to_utf16 "$work/workstation.txt" "$work/workstation.reg"
wine regedit /S "$work/workstation.reg"
export_keys "$fixtures/workstation" "${WORKSTATION_KEYS[@]}"

# samples/workstation.reg: one header, then each export's keys in the order above.
{
    printf 'Windows Registry Editor Version 5.00\r\n'
    for ((i = 0; i < ${#WORKSTATION_KEYS[@]}; i += 2)); do
        iconv -f utf-16 -t utf-8 "$fixtures/workstation/${WORKSTATION_KEYS[i]}" | tail -n +2
    done
} > "$work/joined.txt"
mkdir -p "$repo/samples"
{ printf '\xff\xfe'; iconv -f utf-8 -t utf-16le "$work/joined.txt"; } > "$repo/samples/workstation.reg"

new_prefix check
to_utf16 "$work/workstation-wipe.txt" "$work/wipe.reg"
wine regedit /S "$work/wipe.reg"
wine regedit /S "$repo/samples/workstation.reg"
export_keys "$work/check" "${WORKSTATION_KEYS[@]}"
for ((i = 0; i < ${#WORKSTATION_KEYS[@]}; i += 2)); do
    cmp "$fixtures/workstation/${WORKSTATION_KEYS[i]}" "$work/check/${WORKSTATION_KEYS[i]}"
done

# One entry per filtering rule.
new_prefix rules
to_utf16 "$work/rules.txt" "$work/rules.reg"
wine regedit /S "$work/rules.reg"
export_keys "$fixtures/rules" \
    uninstall.reg "$HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall" \
    uninstall-wow64.reg "$HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall" \
    installer-products.reg "$HKLM\\SOFTWARE\\Classes\\Installer\\Products" \
    user-1001.reg "HKEY_USERS\\S-1-5-21-1000-2000-3000-1001" \
    user-1001-classes.reg "HKEY_USERS\\S-1-5-21-1000-2000-3000-1001_Classes" \
    user-1002.reg "HKEY_USERS\\S-1-5-21-1000-2000-3000-1002"

# Syntax: every value type; deletions applied on top; a REGEDIT4 file as regedit imports it.
new_prefix syntax
to_utf16 "$work/value-types.txt" "$work/value-types.reg"
wine regedit /S "$work/value-types.reg"
export_keys "$fixtures/syntax" value-types.reg "$HKLM\\SOFTWARE\\InventoryFixture"
to_utf16 "$work/deletions.txt" "$fixtures/syntax/deletions.reg"
wine regedit /S "$fixtures/syntax/deletions.reg"
export_keys "$fixtures/syntax" after-deletions.reg "$HKLM\\SOFTWARE\\InventoryFixture"
cp "$work/regedit4.reg" "$fixtures/syntax/regedit4.reg"
wine regedit /S "$fixtures/syntax/regedit4.reg"
export_keys "$fixtures/syntax" regedit4-imported.reg "$HKLM\\SOFTWARE\\InventoryFixture"

wineserver -k || true
rm -rf "$work"
echo "fixtures written under $fixtures and $repo/samples"
