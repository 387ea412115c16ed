package io.mha4j.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived {@code mariadb} command-line client on a server's Unix socket, fed queries on
 * standard input: it reaches the server whatever network namespace it runs in or is cut off
 * from, and one query that hangs (a paused server) blocks only this client. At most one query is
 * outstanding; an answer line or an {@code ERROR} line ends it. A client whose process ended (the
 * server was down when it connected) is started again by the next {@link #ask}, at most every
 * 500 ms.
 */
final class SocketClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SocketClient.class);
    private static final long RESPAWN_NANOS = 500_000_000L;

    private final String name;
    private final List<String> command;
    private final BiConsumer<Long, String> onAnswer;
    private Process process;
    private OutputStream stdin;
    private boolean outstanding;
    private long lastSpawn = Long.MIN_VALUE / 2;
    private boolean closed;

    /**
     * @param defaultsFile a {@code [client]} file with user, password, socket and connect-timeout
     *     (the password never goes on a command line)
     * @param onAnswer receives ({@code System.nanoTime()} of arrival, the answer line)
     */
    SocketClient(String name, Path client, Path defaultsFile, BiConsumer<Long, String> onAnswer) {
        this.name = name;
        this.command = List.of(
                client.toString(),
                "--defaults-file=" + defaultsFile,
                "--batch",
                "--skip-column-names",
                "--unbuffered",
                "--force");
        this.onAnswer = onAnswer;
    }

    /** Sends {@code query} (one line, ending in {@code ;}) unless one is outstanding or the client is down. */
    synchronized void ask(String query) {
        if (closed || outstanding) {
            return;
        }
        if (process == null || !process.isAlive()) {
            long now = System.nanoTime();
            if (now - lastSpawn < RESPAWN_NANOS) {
                return;
            }
            lastSpawn = now;
            spawn();
            if (process == null) {
                return;
            }
        }
        try {
            stdin.write((query + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            outstanding = true;
        } catch (IOException e) {
            log.debug("{}: client gone: {}", name, e.getMessage());
            process.destroyForcibly();
        }
    }

    private void spawn() {
        try {
            Process p = new ProcessBuilder(command).start();
            process = p;
            stdin = p.getOutputStream();
            reader(p, true).start();
            reader(p, false).start();
        } catch (IOException e) {
            log.warn("{}: cannot start {}: {}", name, command.get(0), e.getMessage());
            process = null;
        }
    }

    private Thread reader(Process p, boolean answers) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(
                            answers ? p.getInputStream() : p.getErrorStream(), StandardCharsets.UTF_8))) {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            if (answers) {
                                long at = System.nanoTime();
                                answered();
                                onAnswer.accept(at, line);
                            } else if (line.startsWith("ERROR 20")) {
                                // a client error (gone away, lost, cannot connect): the batch client never
                                // reconnects, so end it; the next ask starts a new one
                                p.destroyForcibly();
                                answered();
                            } else if (line.startsWith("ERROR")) {
                                answered();
                            }
                        }
                    } catch (IOException e) {
                        log.debug("{}: {}", name, e.getMessage());
                    }
                    answered();
                },
                "mha4j-watch-" + name + (answers ? "" : "-err"));
        t.setDaemon(true);
        return t;
    }

    private synchronized void answered() {
        outstanding = false;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
