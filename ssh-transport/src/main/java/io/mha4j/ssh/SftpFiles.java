package io.mha4j.ssh;

import io.mha4j.remote.RemoteFile;
import io.mha4j.remote.SshTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.FileMode;
import net.schmizz.sshj.sftp.OpenMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Files of an {@link SshRemoteShell}, over the one SFTP session on its connection, streamed both ways. */
final class SftpFiles {
    private static final Logger log = LoggerFactory.getLogger(SftpFiles.class);
    private static final int WRITES_IN_FLIGHT = 16;

    private final SshTarget target;
    private final LiveConnection connection;

    SftpFiles(SshTarget target, LiveConnection connection) {
        this.target = target;
        this.connection = connection;
    }

    InputStream read(String path, long offset) {
        try {
            return connection.with(
                    "reading " + path,
                    c -> new SftpInputStream(c.sftp().open(path, EnumSet.of(OpenMode.READ)), offset));
        } catch (IOException e) {
            throw SshFailures.during(target, "reading " + path, e);
        }
    }

    void write(String path, InputStream content) {
        try {
            net.schmizz.sshj.sftp.RemoteFile file = connection.with(
                    "writing " + path,
                    c -> c.sftp().open(path, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.TRUNC)));
            try (file;
                    OutputStream out = file.new RemoteFileOutputStream(0, WRITES_IN_FLIGHT)) {
                // One SFTP write per chunk: sshj sends whatever one write() gets as one packet, and sshd's
                // sftp-server drops packets past 256 KiB (transferTo would hand over whole arrays).
                byte[] chunk = new byte[SftpInputStream.CHUNK];
                long bytes = 0;
                for (int n; (n = content.read(chunk)) >= 0; bytes += n) {
                    out.write(chunk, 0, n);
                }
                log.debug("{}: wrote {} bytes to {}", target.name(), bytes, path);
            }
        } catch (IOException e) {
            throw SshFailures.during(target, "writing " + path, e);
        }
    }

    Optional<RemoteFile> stat(String path) {
        try {
            FileAttributes a = connection.with("stat of " + path, c -> c.sftp().statExistence(path));
            if (a == null) {
                return Optional.empty();
            }
            return Optional.of(new RemoteFile(
                    path,
                    a.getSize(),
                    Instant.ofEpochSecond(a.getMtime()),
                    a.getType() == FileMode.Type.DIRECTORY,
                    a.getMode().getPermissionsMask() & 0777));
        } catch (IOException e) {
            throw SshFailures.during(target, "stat of " + path, e);
        }
    }
}
