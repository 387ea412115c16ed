package io.mha4j.ssh;

import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShellException.Kind;
import io.mha4j.remote.SshTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected, authenticated sshj client to a target and, opened on first use, the SFTP
 * session on it. Commands are sessions multiplexed on it; when it dies, the shell replaces
 * it as a whole.
 */
final class SshConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SshConnection.class);
    private static final AtomicLong NUMBERS = new AtomicLong();

    private final SshTarget target;
    private final SSHClient client;
    private final long number;
    private final Duration took;
    private SFTPClient sftp;

    private SshConnection(SshTarget target, SSHClient client, Duration took) {
        this.target = target;
        this.client = client;
        this.number = NUMBERS.incrementAndGet();
        this.took = took;
    }

    /**
     * Connects, verifies the host key and authenticates with the target's keys, all within
     * the target's connect timeout.
     *
     * @throws RemoteShellException of the kind that tells what to fix
     */
    static SshConnection open(SshTarget target, Config config) {
        long started = System.nanoTime();
        HostKeyCheck check;
        try {
            check = HostKeyCheck.of(target);
        } catch (IOException e) {
            throw new RemoteShellException(
                    target.name(), Kind.IO, "cannot read " + target.knownHostsFile() + ": " + e, e);
        }
        SSHClient client = new SSHClient(config);
        client.setSocketFactory(new NoDelaySocketFactory());
        client.addHostKeyVerifier(check);
        int timeoutMillis =
                (int) Math.min(Integer.MAX_VALUE, target.connectTimeout().toMillis());
        client.setConnectTimeout(timeoutMillis);
        // Bounds each later wait for the server (key exchange, channel open and close) as well.
        client.getTransport().setTimeoutMs(timeoutMillis);
        client.getConnection().setTimeoutMs(timeoutMillis);
        if (!target.keepAlive().isZero()) {
            int seconds = (int) Math.max(1, target.keepAlive().toSeconds());
            client.getConnection().getKeepAlive().setKeepAliveInterval(seconds);
        }
        List<String> unreadable = new ArrayList<>();
        List<KeyProvider> keys = loadKeys(target, client, unreadable);
        ConnectDeadline deadline = ConnectDeadline.start(client, timeoutMillis);
        try {
            client.connect(target.host(), target.port());
            client.authPublickey(target.user(), keys);
            deadline.met();
        } catch (IOException e) {
            closeQuietly(client);
            if (deadline.expired()) {
                throw new RemoteShellException(
                        target.name(),
                        Kind.TIMEOUT,
                        "no SSH session with " + target.host()
                                + ":" + target.port() + " within " + timeoutMillis + " ms (connect, key exchange and"
                                + " authentication)",
                        e);
            }
            throw SshFailures.connecting(target, check, unreadable, e);
        }
        SshConnection connection = new SshConnection(target, client, Duration.ofNanos(System.nanoTime() - started));
        log.info(
                "{}: connected as {} (connection #{}) in {} ms",
                target.name(),
                target.user(),
                connection.number,
                connection.took.toMillis());
        return connection;
    }

    /**
     * Loads every identity file that can be read. One that cannot (encrypted, or not a key) is
     * skipped, as OpenSSH skips it, and named in the error if no other key gets in.
     */
    private static List<KeyProvider> loadKeys(SshTarget target, SSHClient client, List<String> unreadable) {
        List<KeyProvider> keys = new ArrayList<>();
        for (Path file : target.identityFiles()) {
            try {
                KeyProvider key = client.loadKeys(file.toString());
                key.getPrivate();
                keys.add(key);
            } catch (IOException | RuntimeException e) {
                // The exception's class only: parser messages are not meant for logs and could quote the file.
                unreadable.add(file + " (" + e.getClass().getSimpleName() + ")");
                log.warn(
                        "{}: cannot read private key {} ({}); encrypted keys are not supported",
                        target.name(),
                        file,
                        e.getClass().getSimpleName());
            }
        }
        if (keys.isEmpty()) {
            throw new RemoteShellException(
                    target.name(),
                    Kind.IO,
                    "no usable private key"
                            + (unreadable.isEmpty()
                                    ? " configured (ssh_identity_file, or -i in ssh_options)"
                                    : ": cannot read " + String.join(", ", unreadable)
                                            + "; encrypted keys are not supported,"
                                            + " give mha4j a key without a passphrase"),
                    null);
        }
        return keys;
    }

    /** Connected, authenticated and not torn down: the transport's reader has not seen it end. */
    boolean isAlive() {
        return client.isConnected() && client.isAuthenticated();
    }

    long number() {
        return number;
    }

    /** How long connecting took: the TCP connection, key exchange and authentication. */
    Duration took() {
        return took;
    }

    Session startSession() throws IOException {
        return client.startSession();
    }

    /** A new session running {@link WarmShell#COMMAND}: the channel of a warm shell. */
    WarmShell.Channel shellChannel() throws IOException {
        Session session = client.startSession();
        try {
            Session.Command sh = session.exec(WarmShell.COMMAND);
            return new WarmShell.Channel() {
                @Override
                public OutputStream input() {
                    return sh.getOutputStream();
                }

                @Override
                public InputStream output() {
                    return sh.getInputStream();
                }

                @Override
                public InputStream errors() {
                    return sh.getErrorStream();
                }

                @Override
                public boolean isOpen() {
                    return sh.isOpen() && !sh.isEOF();
                }

                @Override
                public void close() {
                    closeQuietly(session);
                }
            };
        } catch (IOException | RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    /** The SFTP session, opened on first use and reopened if the server closed it. */
    synchronized SFTPClient sftp() throws IOException {
        if (sftp == null || !sftp.getSFTPEngine().getSubsystem().isOpen()) {
            closeQuietly(sftp);
            sftp = client.newSFTPClient();
            log.debug("{}: SFTP session opened on connection #{}", target.name(), number);
        }
        return sftp;
    }

    @Override
    public void close() {
        synchronized (this) {
            closeQuietly(sftp);
            sftp = null;
        }
        closeQuietly(client);
        log.debug("{}: connection #{} closed", target.name(), number);
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            // Closing something already broken: nothing left to release or report.
        }
    }
}
