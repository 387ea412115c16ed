package io.mha4j.samples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A JVM of its own on this one's class path: a manager a bench or the demo can kill with SIGKILL. */
final class Jvm {
    private Jvm() {}

    /** Starts {@code main} with {@code args}, its output (stdout and stderr) into {@code output}. */
    static Process start(Path output, String main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                main));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
    }
}
