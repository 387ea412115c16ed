package io.mha4j.remote;

import java.time.Duration;

/**
 * What a finished command returned. Output is kept as text, bounded by the shell that ran it
 * (long outputs are cut and say so); read large files with {@link RemoteShell#read}.
 *
 * @param exitCode the exit status
 * @param stdout standard output
 * @param stderr standard error
 * @param took how long the command ran
 */
public record CommandResult(int exitCode, String stdout, String stderr, Duration took) {
    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The first line of stderr, else of stdout: what a one-line report should quote. */
    public String firstErrorLine() {
        String s = stderr.isBlank() ? stdout : stderr;
        return s.lines().filter(l -> !l.isBlank()).findFirst().orElse("").strip();
    }
}
