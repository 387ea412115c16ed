package io.mha4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * {@code args} run by this module's command line in a JVM of its own (this JVM's java and
     * classpath), as a user runs it; standard output and error go to {@code output}. The caller
     * ends it.
     */
    public static Process started(Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Mha4jCommand.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
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
