package io.mha4j.ssh;

import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShellException.Kind;
import io.mha4j.remote.SshTarget;
import java.io.IOException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection of an {@link SshRemoteShell}: opened on first use, replaced when found dead
 * (the keep-alive or the reader noticed). One thread connects at a time; the others wait for it
 * and share its outcome, so that no caller waits longer than one attempt's bound (the target's
 * connect timeout, {@code ssh_connection_timeout}) for another thread's attempt and then its own.
 */
final class LiveConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveConnection.class);

    private final SshTarget target;
    private final Supplier<SshConnection> opener;
    private final Object connecting = new Object();
    private volatile SshConnection connection;
    private RemoteShellException lastFailure;
    private long lastFailureNanos;
    private boolean closed;

    /** @param opener connects to the target, within its connect timeout */
    LiveConnection(SshTarget target, Supplier<SshConnection> opener) {
        this.target = target;
        this.opener = opener;
    }

    /** The connection as it is now, live or not, or null: what a report says was reused. */
    SshConnection current() {
        return connection;
    }

    /** The live connection, connecting (or reconnecting) now if there is none; one thread connects, others wait. */
    SshConnection get() {
        SshConnection c = connection;
        if (c != null && c.isAlive()) {
            return c;
        }
        long waitingSince = System.nanoTime();
        synchronized (connecting) {
            if (closed) {
                throw new RemoteShellException(target.name(), Kind.IO, "the shell is closed", null);
            }
            c = connection;
            if (c != null && c.isAlive()) {
                return c;
            }
            if (lastFailure != null && lastFailureNanos - waitingSince >= 0) {
                // Another thread's attempt failed while this one waited: a second attempt now would double the wait.
                throw new RemoteShellException(
                        target.name(),
                        lastFailure.kind(),
                        lastFailure.getMessage() + " (an attempt that ended while this one waited)",
                        lastFailure);
            }
            if (c != null) {
                log.info("{}: connection #{} lost; reconnecting", target.name(), c.number());
                c.close();
            }
            try {
                connection = opener.get();
                lastFailure = null;
                return connection;
            } catch (RemoteShellException e) {
                connection = null;
                lastFailure = e;
                lastFailureNanos = System.nanoTime();
                throw e;
            }
        }
    }

    /** Does {@code action} on the live connection; retries once on a new one if the old one turns out dead. */
    <T> T with(String what, ConnectionAction<T> action) throws IOException {
        SshConnection c = get();
        try {
            return action.apply(c);
        } catch (IOException e) {
            if (c.isAlive()) {
                throw e;
            }
            log.info(
                    "{}: connection #{} lost while {} ({}); reconnecting once",
                    target.name(),
                    c.number(),
                    what,
                    e.toString());
            return action.apply(replace(c));
        }
    }

    private SshConnection replace(SshConnection dead) {
        synchronized (connecting) {
            if (connection == dead) {
                dead.close();
                connection = null;
            }
        }
        return get();
    }

    /** Closes the connection; no other is opened afterwards. Idempotent. */
    @Override
    public void close() {
        synchronized (connecting) {
            closed = true;
            if (connection != null) {
                connection.close();
                connection = null;
            }
        }
    }

    @FunctionalInterface
    interface ConnectionAction<T> {
        T apply(SshConnection connection) throws IOException;
    }
}
