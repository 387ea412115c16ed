package io.mha4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;

/**
 * The exit code and output of one in-process command line. Shared with the samples' tests (this
 * module's test-jar), whose launcher adds commands of its own.
 */
public record CommandRun(int exitCode, String out, String err) {

    /** {@code args} run by the command line of this module ({@link Mha4jCommand#run}). */
    public static CommandRun of(String... args) {
        return of(Mha4jCommand::run, args);
    }

    /** {@code args} run by {@code launcher}, its standard output and error captured. */
    public static CommandRun of(ToIntFunction<String[]> launcher, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = launcher.applyAsInt(args);
            return new CommandRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
