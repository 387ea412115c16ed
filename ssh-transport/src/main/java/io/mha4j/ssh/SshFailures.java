package io.mha4j.ssh;

import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShellException.Kind;
import io.mha4j.remote.SshTarget;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPException;
import net.schmizz.sshj.userauth.UserAuthException;

/**
 * Sorts sshj's exceptions into the {@link Kind}s an operator acts on, with a message that names
 * the target and says what to do. Messages quote files, hosts and fingerprints, never key
 * material or passwords.
 */
final class SshFailures {

    private SshFailures() {}

    /** A failure while connecting, authenticating or verifying the host. */
    static RemoteShellException connecting(
            SshTarget target, HostKeyCheck check, List<String> unreadableKeys, IOException e) {
        String address = target.host() + ":" + target.port();
        Throwable root = rootCause(e);
        if (root instanceof UnknownHostException) {
            return new RemoteShellException(target.name(), Kind.UNREACHABLE, "unknown host " + target.host(), e);
        }
        if (root instanceof ConnectException) {
            return new RemoteShellException(
                    target.name(),
                    Kind.UNREACHABLE,
                    "connection refused by " + address + " (is sshd running, on that port?)",
                    e);
        }
        if (root instanceof NoRouteToHostException) {
            return new RemoteShellException(target.name(), Kind.UNREACHABLE, "no route to " + address, e);
        }
        if (e instanceof SSHException s && s.getDisconnectReason() == DisconnectReason.HOST_KEY_NOT_VERIFIABLE) {
            return hostKeyRefused(target, check, e);
        }
        if (String.valueOf(root.getMessage()).contains("no identification received")) {
            // sshj's words for a peer that accepted TCP and closed it before any SSH greeting. IO, not UNREACHABLE:
            // a host whose kernel answered is up (sshd at MaxStartups under load, mysqld perhaps only hung), and the
            // monitor must not count it as gone.
            return new RemoteShellException(
                    target.name(),
                    Kind.IO,
                    address + " accepted the connection and"
                            + " closed it before any SSH greeting: no sshd on that port (ssh_port?), or sshd or a firewall"
                            + " refused this client (MaxStartups, AllowUsers, tcp wrappers)",
                    e);
        }
        if (e instanceof UserAuthException) {
            String skipped = unreadableKeys.isEmpty()
                    ? ""
                    : "; not offered because unreadable: " + String.join(", ", unreadableKeys);
            return new RemoteShellException(
                    target.name(),
                    Kind.AUTHENTICATION_REFUSED,
                    "user " + target.user()
                            + " was refused with the key(s) " + target.identityFiles() + skipped
                            + ": add the public key to"
                            + " ~" + target.user() + "/.ssh/authorized_keys on " + target.host(),
                    e);
        }
        if (isTimeout(e)) {
            return new RemoteShellException(
                    target.name(),
                    Kind.TIMEOUT,
                    "no answer from " + address + " within "
                            + target.connectTimeout().toMillis() + " ms while connecting",
                    e);
        }
        return new RemoteShellException(target.name(), Kind.IO, "cannot connect to " + address + ": " + e, e);
    }

    /** A failure of {@code what} (e.g. "reading /var/log/x") on an established connection. */
    static RemoteShellException during(SshTarget target, String what, IOException e) {
        if (causedBy(e, InterruptedException.class)) {
            // sshj turned the interrupt into an exception and cleared the flag; the caller must still see it.
            Thread.currentThread().interrupt();
            return new RemoteShellException(target.name(), Kind.IO, what + ": interrupted", e);
        }
        if (e instanceof SFTPException s && s.getStatusCode() == Response.StatusCode.NO_SUCH_FILE) {
            return new RemoteShellException(target.name(), Kind.NO_SUCH_FILE, what + ": no such file", e);
        }
        if (isTimeout(e)) {
            return new RemoteShellException(target.name(), Kind.TIMEOUT, what + ": no answer in time", e);
        }
        return new RemoteShellException(target.name(), Kind.IO, what + ": " + e, e);
    }

    private static RemoteShellException hostKeyRefused(SshTarget target, HostKeyCheck check, IOException e) {
        String file = target.knownHostsFile().toString();
        String host = KnownHostsFile.hostPattern(target.host(), target.port());
        HostKeyCheck.Seen seen = check.seen().orElse(null);
        if (seen == null) {
            return new RemoteShellException(
                    target.name(),
                    Kind.HOST_KEY_UNKNOWN,
                    "the host key of " + host + " could not be verified against " + file,
                    e);
        }
        String key = seen.algorithm() + " " + seen.fingerprint();
        return switch (seen.verdict()) {
            case CHANGED ->
                new RemoteShellException(
                        target.name(),
                        Kind.HOST_KEY_CHANGED,
                        "the host key of " + host
                                + " changed: it presented " + key + ", which " + file
                                + " does not hold for it. This may be an"
                                + " attack. Verify the new key with the host's administrator, then remove the old line from "
                                + file + " (ssh-keygen -R '" + host + "' -f " + file + ")",
                        e);
            case REVOKED ->
                new RemoteShellException(
                        target.name(),
                        Kind.HOST_KEY_CHANGED,
                        "the host " + host + " presented " + key + ", which " + file + " marks @revoked",
                        e);
            default ->
                new RemoteShellException(
                        target.name(),
                        Kind.HOST_KEY_UNKNOWN,
                        "the host key " + key + " of "
                                + host + " is not in " + file
                                + seen.recordFailure()
                                        .map(f -> " and could not be recorded (" + f + ")")
                                        .orElse("") + ": verify it, then add it (ssh-keyscan -p " + target.port() + " "
                                + target.host() + " >> " + file + "), or set ssh_host_key_checking=accept-new",
                        e);
        };
    }

    private static boolean isTimeout(Throwable e) {
        return causedBy(e, TimeoutException.class) || causedBy(e, SocketTimeoutException.class);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }
}
