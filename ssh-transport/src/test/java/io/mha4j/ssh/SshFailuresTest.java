package io.mha4j.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.remote.HostKeyPolicy;
import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShellException.Kind;
import io.mha4j.remote.SshTarget;
import java.io.IOException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPException;
import net.schmizz.sshj.transport.TransportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshFailuresTest {

    @TempDir
    Path dir;

    private SshTarget target() {
        return new SshTarget(
                "root@db1(10.0.0.1:22)",
                "10.0.0.1",
                22,
                "root",
                List.of(Path.of("/keys/id")),
                dir.resolve("known_hosts"),
                HostKeyPolicy.STRICT,
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                List.of());
    }

    private RemoteShellException connecting(IOException e) throws IOException {
        return SshFailures.connecting(target(), HostKeyCheck.of(target()), List.of(), e);
    }

    @Test
    void anUnknownNameOrNoRouteIsUnreachable() throws IOException {
        assertThat(connecting(new UnknownHostException("db1")).kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(connecting(new IOException(new NoRouteToHostException("no route")))
                        .kind())
                .isEqualTo(Kind.UNREACHABLE);
    }

    @Test
    void aPortThatClosesBeforeTheGreetingNamesHostAndPortAndIsNotCalledUnreachable() throws IOException {
        RemoteShellException e =
                connecting(new TransportException("Received end of connection, but no identification received. "));

        assertThat(e.kind()).as("the host answered TCP: it is up").isEqualTo(Kind.IO);
        assertThat(e.getMessage())
                .startsWith("root@db1(10.0.0.1:22): 10.0.0.1:22 accepted the connection and closed"
                        + " it before any SSH greeting");
    }

    @Test
    void aTimeoutAnywhereInTheCausesIsATimeout() throws IOException {
        RemoteShellException e = connecting(new TransportException(new java.util.concurrent.TimeoutException("kex")));

        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.getMessage()).startsWith("root@db1(10.0.0.1:22): ").contains("5000 ms");
    }

    @Test
    void aMissingFileIsNoSuchFileAndOtherSftpErrorsAreIo() {
        SFTPException missing = new SFTPException(Response.StatusCode.NO_SUCH_FILE, "No such file");
        SFTPException denied = new SFTPException(Response.StatusCode.PERMISSION_DENIED, "Permission denied");

        assertThat(SshFailures.during(target(), "reading /x", missing).kind()).isEqualTo(Kind.NO_SUCH_FILE);
        assertThat(SshFailures.during(target(), "reading /x", denied).kind()).isEqualTo(Kind.IO);
        assertThat(SshFailures.during(target(), "reading /x", denied).getMessage())
                .contains("reading /x")
                .contains("Permission denied");
    }
}
