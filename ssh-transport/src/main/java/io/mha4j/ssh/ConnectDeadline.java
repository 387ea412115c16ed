package io.mha4j.ssh;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.schmizz.sshj.SSHClient;

/**
 * Bounds a whole connection attempt, banner to authentication. sshj reads the server's banner
 * with no timeout at all, so a host that accepts TCP but never answers (a stopped sshd, a
 * machine thrashing) would hang the caller forever; when the deadline passes first, the socket
 * is closed under sshj and the attempt fails.
 */
final class ConnectDeadline {

    private static final int CONNECTING = 0;
    private static final int MET = 1;
    private static final int EXPIRED = 2;
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final AtomicInteger state = new AtomicInteger(CONNECTING);
    private ScheduledFuture<?> expiry;

    private ConnectDeadline() {}

    /** Starts the clock: after {@code millis}, {@code client}'s socket is closed unless {@link #met()} came first. */
    static ConnectDeadline start(SSHClient client, long millis) {
        ConnectDeadline deadline = new ConnectDeadline();
        deadline.expiry = TIMER.schedule(() -> deadline.expire(client), millis, TimeUnit.MILLISECONDS);
        return deadline;
    }

    /**
     * The attempt succeeded in time.
     *
     * @throws IOException if the deadline passed first (the socket may be closed already)
     */
    void met() throws IOException {
        expiry.cancel(false);
        if (!state.compareAndSet(CONNECTING, MET)) {
            throw new IOException("connection attempt outlived its deadline");
        }
    }

    /** Whether the deadline passed before the attempt ended. */
    boolean expired() {
        expiry.cancel(false);
        return state.get() == EXPIRED;
    }

    private void expire(SSHClient client) {
        if (!state.compareAndSet(CONNECTING, EXPIRED)) {
            return;
        }
        Socket socket = client.getSocket();
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing is all we wanted; the connecting thread sees the failure.
            }
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mha4j-ssh-connect-deadline");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
