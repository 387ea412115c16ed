package io.mha4j.ssh;

import io.mha4j.testkit.OpenSshServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Makes a testkit sshd's sessions start as a slow login shell does on real hosts ({@code .bashrc}
 * running {@code pyenv init}, conda, profile scripts): bash sources {@code BASH_ENV} before every
 * command sshd runs for the user (and before the SFTP server), and this one takes one second and
 * appends a line to a file, so that a test counts the login shells its code paid. Needs bash as
 * the user's login shell (root's is, here). The server restarts on the same port with the same keys.
 *
 * <p>A fixture of this module's tests until the testkit's own {@code loginShell(SLOW)} lands; it
 * adds the counting.
 */
final class SlowLoginShell {
    /** What each login shell costs. */
    static final Duration START = Duration.ofSeconds(1);

    private final Path starts;

    private SlowLoginShell(Path starts) {
        this.starts = starts;
    }

    /** Rewrites {@code sshd}'s configuration so that every session's shell start is slow, and restarts it. */
    static SlowLoginShell on(OpenSshServer sshd, Path dir) {
        try {
            Path starts = dir.resolve("login-shell-starts.log");
            Path script = dir.resolve("slow-login.sh");
            // Unset first, so that shells the command starts do not pay again.
            Files.writeString(
                    script,
                    "unset BASH_ENV\necho \"$$ $(date +%s.%N)\" >> '" + starts + "'\nsleep " + START.toSeconds()
                            + "\n");
            Files.writeString(starts, "");
            Path config = sshd.directory().resolve("sshd_config");
            List<String> lines = Files.readAllLines(config, StandardCharsets.UTF_8).stream()
                    .map(l -> l.startsWith("SetEnv ") ? l + nested(l) + " BASH_ENV=" + script : l)
                    .toList();
            if (lines.stream().noneMatch(l -> l.contains("BASH_ENV="))) {
                throw new IllegalStateException(
                        "no SetEnv line in " + config + " to extend (sshd keeps only the first)");
            }
            Files.write(config, lines, StandardCharsets.UTF_8);
            sshd.stop();
            sshd.start();
            return new SlowLoginShell(starts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * bash started by sshd as a top-level shell (SHLVL below 2) sources ~/.bashrc and never reads
     * BASH_ENV: SHLVL=1 makes it nested, so that BASH_ENV is read (the testkit's lean and slow
     * shells do the same).
     */
    private static String nested(String setEnv) {
        return setEnv.contains("SHLVL=") ? "" : " SHLVL=1";
    }

    /** How many login shells sessions have started so far. */
    long starts() {
        try {
            return Files.readAllLines(starts, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank())
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
