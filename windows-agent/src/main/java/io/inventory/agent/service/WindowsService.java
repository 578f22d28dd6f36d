package io.inventory.agent.service;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.Winsvc;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link ServiceBody} as a Windows service in this process: connects to the Service Control Manager with
 * StartServiceCtrlDispatcher, reports START_PENDING, RUNNING, STOP_PENDING (with a wait hint and a rising checkpoint
 * while the body drains) and STOPPED, and turns the SCM's stop and shutdown controls into a call to
 * {@link ServiceBody#stop()}.
 */
public final class WindowsService {

    private static final Logger LOG = LoggerFactory.getLogger(WindowsService.class);
    private static final long CHECKPOINT_MILLIS = 1000;

    private final String name;
    private final ServiceBody body;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    // JNA callbacks must stay reachable for as long as Windows may call them.
    private final Winsvc.SERVICE_MAIN_FUNCTION serviceMain = this::serviceMain;
    private final Winsvc.HandlerEx handler = this::control;

    private Winsvc.SERVICE_STATUS_HANDLE statusHandle;
    private int checkpoint;
    private volatile int exitCode;

    /** What the service runs: started once, stopped once. */
    public interface ServiceBody {

        /**
         * Starts the work and returns; a failure ends the service with the returned exit code.
         *
         * @return 0 when started, else a process exit code to report as the service-specific error
         */
        int start();

        /** The longest {@link #stop()} may take, for the wait hint the SCM gets. */
        Duration stopBound();

        /** Stops the work; returns when done. */
        void stop() throws InterruptedException;
    }

    public WindowsService(String name, ServiceBody body) {
        this.name = name;
        this.body = body;
    }

    /**
     * Hands this thread to the Service Control Manager until the service stops.
     *
     * @return 0, or the exit code of a body that failed to start
     * @throws ServiceException when the process was not started by the SCM (for example from a console)
     */
    public int run() throws ServiceException {
        Winsvc.SERVICE_TABLE_ENTRY[] table =
                (Winsvc.SERVICE_TABLE_ENTRY[]) new Winsvc.SERVICE_TABLE_ENTRY().toArray(2);
        table[0].lpServiceName = name;
        table[0].lpServiceProc = serviceMain;
        table[0].write();

        if (!Advapi32.INSTANCE.StartServiceCtrlDispatcher(table)) {
            int error = Kernel32.INSTANCE.GetLastError();
            String why = "StartServiceCtrlDispatcher failed";
            if (error == WinError.ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) {
                why = "this process was not started by the Service Control Manager; use 'service install' and "
                        + "'sc.exe start " + name + "', or 'poll' to run in a console";
            }
            throw new ServiceException(why, error);
        }
        return exitCode;
    }

    private void serviceMain(int argc, Pointer argv) {
        statusHandle = Advapi32.INSTANCE.RegisterServiceCtrlHandlerEx(name, handler, null);
        if (statusHandle == null) {
            LOG.error("RegisterServiceCtrlHandlerEx failed for service {} (Win32 error {})", name,
                    Kernel32.INSTANCE.GetLastError());
            return;
        }
        report(Winsvc.SERVICE_START_PENDING, 0, 30_000);

        int started = body.start();
        if (started != 0) {
            exitCode = started;
            report(Winsvc.SERVICE_STOPPED, started, 0);
            return;
        }
        report(Winsvc.SERVICE_RUNNING, 0, 0);
        LOG.info("Service {} running", name);

        try {
            stopRequested.await();
            Thread stopper = new Thread(this::stopBody, "service-stop");
            stopper.start();
            long hint = body.stopBound().toMillis();
            while (stopper.isAlive()) {
                report(Winsvc.SERVICE_STOP_PENDING, 0, (int) Math.min(Integer.MAX_VALUE, hint));
                stopper.join(CHECKPOINT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Service {} stopped", name);
        report(Winsvc.SERVICE_STOPPED, 0, 0);
    }

    private void stopBody() {
        try {
            body.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Service {} failed while stopping", name, e);
        }
    }

    private int control(int control, int eventType, Pointer eventData, Pointer context) {
        switch (control) {
            case Winsvc.SERVICE_CONTROL_STOP, Winsvc.SERVICE_CONTROL_SHUTDOWN -> {
                LOG.info("Service {} asked to stop (control {})", name, control);
                stopRequested.countDown();
                return WinError.NO_ERROR;
            }
            case Winsvc.SERVICE_CONTROL_INTERROGATE -> {
                return WinError.NO_ERROR;
            }
            default -> {
                return WinError.ERROR_CALL_NOT_IMPLEMENTED;
            }
        }
    }

    private synchronized void report(int state, int serviceExitCode, int waitHintMillis) {
        Winsvc.SERVICE_STATUS status = new Winsvc.SERVICE_STATUS();
        status.dwServiceType = WinNT.SERVICE_WIN32_OWN_PROCESS;
        status.dwCurrentState = state;
        status.dwControlsAccepted = state == Winsvc.SERVICE_RUNNING
                ? Winsvc.SERVICE_ACCEPT_STOP | Winsvc.SERVICE_ACCEPT_SHUTDOWN : 0;
        status.dwWin32ExitCode = serviceExitCode == 0 ? WinError.NO_ERROR : WinError.ERROR_SERVICE_SPECIFIC_ERROR;
        status.dwServiceSpecificExitCode = serviceExitCode;
        boolean pending = state == Winsvc.SERVICE_START_PENDING || state == Winsvc.SERVICE_STOP_PENDING;
        status.dwCheckPoint = pending ? ++checkpoint : 0;
        status.dwWaitHint = waitHintMillis;
        if (!Advapi32.INSTANCE.SetServiceStatus(statusHandle, status)) {
            LOG.warn("SetServiceStatus({}) failed for service {} (Win32 error {})", state, name,
                    Kernel32.INSTANCE.GetLastError());
        }
    }
}
