package io.inventory.agent.service;

import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.W32Service;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.Winsvc;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers and removes the agent's Windows service through the Service Control Manager: automatic start at boot,
 * as LocalSystem, restarted by Windows after a crash. Needs an elevated (administrator) process.
 */
public final class ServiceInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceInstaller.class);

    /** Restart after a crash: one minute, twice, then every five minutes; the count resets after a day. */
    private static final int[] RESTART_DELAYS_MILLIS = {60_000, 60_000, 300_000};
    private static final int FAILURE_RESET_SECONDS = 24 * 60 * 60;

    private ServiceInstaller() {
    }

    /** Creates the service; it starts at the next boot, or now with {@code sc.exe start <name>}. */
    public static void install(ServiceDefinition service) throws ServiceException {
        Winsvc.SC_HANDLE manager = openManager(Winsvc.SC_MANAGER_ALL_ACCESS);
        try {
            Winsvc.SC_HANDLE handle = Advapi32.INSTANCE.CreateService(manager, service.name(),
                    ServiceDefinition.DISPLAY_NAME, Winsvc.SERVICE_ALL_ACCESS, WinNT.SERVICE_WIN32_OWN_PROCESS,
                    WinNT.SERVICE_AUTO_START, WinNT.SERVICE_ERROR_NORMAL, service.commandLine(), null, null, null,
                    null, null);
            if (handle == null) {
                int error = Kernel32.INSTANCE.GetLastError();
                String why = error == WinError.ERROR_SERVICE_EXISTS ? "it already exists; uninstall it first"
                        : error == WinError.ERROR_ACCESS_DENIED ? "access denied; run as administrator" : "failed";
                throw new ServiceException("creating service " + service.name() + ": " + why, error);
            }
            try (W32Service created = new W32Service(handle)) {
                Winsvc.SERVICE_DESCRIPTION description = new Winsvc.SERVICE_DESCRIPTION();
                description.lpDescription = ServiceDefinition.DESCRIPTION;
                Advapi32.INSTANCE.ChangeServiceConfig2(handle, Winsvc.SERVICE_CONFIG_DESCRIPTION, description);
                created.setFailureActions(restartActions(), FAILURE_RESET_SECONDS, null, null);
                created.setFailureActionsFlag(true);
            }
            LOG.info("Installed service {}: {}", service.name(), service.commandLine());
        } finally {
            Advapi32.INSTANCE.CloseServiceHandle(manager);
        }
    }

    /** Stops the service if it runs, then deletes it. */
    public static void uninstall(String name) throws ServiceException {
        Winsvc.SC_HANDLE manager = openManager(Winsvc.SC_MANAGER_CONNECT);
        try {
            Winsvc.SC_HANDLE handle = Advapi32.INSTANCE.OpenService(manager, name,
                    WinNT.DELETE | Winsvc.SERVICE_STOP | Winsvc.SERVICE_QUERY_STATUS);
            if (handle == null) {
                int error = Kernel32.INSTANCE.GetLastError();
                String why = error == WinError.ERROR_SERVICE_DOES_NOT_EXIST ? "it is not installed" : "failed";
                throw new ServiceException("opening service " + name + ": " + why, error);
            }
            try (W32Service service = new W32Service(handle)) {
                if (service.queryStatus().dwCurrentState != Winsvc.SERVICE_STOPPED) {
                    LOG.info("Stopping service {}", name);
                    service.stopService();
                }
                if (!Advapi32.INSTANCE.DeleteService(handle)) {
                    throw new ServiceException("deleting service " + name, Kernel32.INSTANCE.GetLastError());
                }
            }
            LOG.info("Uninstalled service {}", name);
        } finally {
            Advapi32.INSTANCE.CloseServiceHandle(manager);
        }
    }

    private static Winsvc.SC_HANDLE openManager(int access) throws ServiceException {
        Winsvc.SC_HANDLE manager = Advapi32.INSTANCE.OpenSCManager(null, null, access);
        if (manager == null) {
            int error = Kernel32.INSTANCE.GetLastError();
            String why = error == WinError.ERROR_ACCESS_DENIED ? ": access denied; run as administrator" : "";
            throw new ServiceException("opening the Service Control Manager" + why, error);
        }
        return manager;
    }

    private static List<Winsvc.SC_ACTION> restartActions() {
        return Arrays.stream(RESTART_DELAYS_MILLIS).mapToObj(delay -> {
            Winsvc.SC_ACTION action = new Winsvc.SC_ACTION();
            action.type = Winsvc.SC_ACTION_RESTART;
            action.delay = delay;
            return action;
        }).toList();
    }
}
