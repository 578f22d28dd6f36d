package io.inventory.registry;

/**
 * Which copy of a redirected key a read sees on 64-bit Windows. The 32-bit view of {@code HKLM\SOFTWARE\X} is
 * {@code HKLM\SOFTWARE\WOW6432Node\X}; reads always name the view so that a 32-bit JVM does not silently get the
 * 32-bit copy.
 */
public enum RegistryView {
    /** The native view ({@code KEY_WOW64_64KEY}). */
    BIT_64,

    /** The view 32-bit programs get ({@code KEY_WOW64_32KEY}). */
    BIT_32
}
