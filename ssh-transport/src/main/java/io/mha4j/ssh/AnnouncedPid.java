package io.mha4j.ssh;

import io.mha4j.remote.RemoteCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Lets a timed-out command be killed with everything it started. The command runs as
 * {@code echo mha4j-pid $$ >&2; exec CMD}: the login shell announces its pid on stderr and
 * {@code exec} hands that pid to the command, which sshd made a process group leader
 * ({@code setsid}), so {@code kill -KILL -- -PID} from a second session ends the whole group.
 * OpenSSH's own way, the "signal" channel request, is refused for root logins ("session
 * signalling requires privilege separation"), and root is MHA's usual user. The announcement
 * is removed from stderr before anyone reads it. {@code exec} needs a program: a shell builtin
 * without one (say {@code cd}) fails with exit code 127, as an unknown program does.
 */
final class AnnouncedPid {

    private static final String MARKER = "mha4j-pid ";
    private static final int MAX_PREFIX = 64 * 1024;

    private final CompletableFuture<Long> pid = new CompletableFuture<>();

    /** The line to execute for {@code command}: its {@link RemoteCommand#shellLine()}, announced and exec'd. */
    static String commandLine(RemoteCommand command) {
        return "echo " + MARKER + "$$ >&2; exec " + command.shellLine();
    }

    /** The command that kills the process group of {@code pid}. */
    static RemoteCommand killGroup(long pid) {
        return RemoteCommand.of("kill", "-KILL", "--", "-" + pid);
    }

    /** The pid the command announced, or -1 if it has not (yet, or ever: a shell that is not POSIX). */
    long pid() {
        return pid.getNow(-1L);
    }

    /**
     * {@code stderr} without its announcement line; reading it records the pid. What the login
     * shell's startup files print before the announcement (up to {@value #MAX_PREFIX} bytes) is
     * kept; if no announcement comes within that, nothing is removed.
     */
    InputStream strip(InputStream stderr) {
        return new InputStream() {
            private InputStream in;

            @Override
            public int read() throws IOException {
                return stream().read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return stream().read(b, off, len);
            }

            @Override
            public void close() throws IOException {
                pid.complete(-1L);
                stderr.close();
            }

            private InputStream stream() throws IOException {
                if (in == null) {
                    in = new SequenceInputStream(new ByteArrayInputStream(beforeAnnouncement(stderr)), stderr);
                }
                return in;
            }
        };
    }

    /** Reads lines up to the announcement, records its pid, and returns the lines before it. */
    private byte[] beforeAnnouncement(InputStream stderr) throws IOException {
        ByteArrayOutputStream before = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c; before.size() + line.size() < MAX_PREFIX && (c = stderr.read()) >= 0; ) {
            line.write(c);
            if (c != '\n') {
                continue;
            }
            String text = line.toString(StandardCharsets.US_ASCII);
            if (text.startsWith(MARKER)) {
                pid.complete(parse(text.substring(MARKER.length()).strip()));
                return before.toByteArray();
            }
            line.writeTo(before);
            line.reset();
        }
        line.writeTo(before);
        pid.complete(-1L);
        return before.toByteArray();
    }

    private static long parse(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1L;
        }
    }
}
