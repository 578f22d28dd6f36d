package io.inventory.commands;

/**
 * A commands-file line that was not queued.
 *
 * @param line   1-based line number; 0 when the entry summarises several lines
 * @param text   the line as written, trimmed and shortened for display
 * @param reason why it was not queued
 */
public record Rejection(int line, String text, String reason) {
}
