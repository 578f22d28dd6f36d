package io.inventory.agent.service;

/** A Windows service operation that failed, with the Win32 error code and what was being done. */
public final class ServiceException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int win32Error;

    public ServiceException(String message, int win32Error) {
        super(message + (win32Error == 0 ? "" : " (Win32 error " + win32Error + ")"));
        this.win32Error = win32Error;
    }

    public int win32Error() {
        return win32Error;
    }
}
