package io.mha4j.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link WarmShell.Channel} over {@code sh -c 'LOGIN; exec sh'} on this machine: a login shell
 * doing {@code LOGIN}, then handing over as sshd's would. The same bytes flow as over SSH.
 */
final class LocalShChannel implements WarmShell.Channel {
    final Process process;
    final AtomicInteger closes = new AtomicInteger();
    /** Claims to be open whatever happened, as a channel whose end is not noticed yet. */
    volatile boolean seemsOpen;
    /** Claims to have ended, as a channel the server closed. */
    volatile boolean ended;

    private LocalShChannel(Process process) {
        this.process = process;
    }

    static LocalShChannel start(String login) throws IOException {
        return new LocalShChannel(new ProcessBuilder("sh", "-c", login + "; " + WarmShell.COMMAND).start());
    }

    @Override
    public OutputStream input() {
        return process.getOutputStream();
    }

    @Override
    public InputStream output() {
        return process.getInputStream();
    }

    @Override
    public InputStream errors() {
        return process.getErrorStream();
    }

    @Override
    public boolean isOpen() {
        return !ended && (seemsOpen || process.isAlive());
    }

    @Override
    public void close() {
        closes.incrementAndGet();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
