package io.mha4j.internal.hook;

import io.mha4j.config.Parameter;
import io.mha4j.remote.RemoteCommand;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One of MHA's external scripts as configured: a command line whose first word is the
 * program (MHA runs it through a shell; mha4j splits it on whitespace and runs it without
 * one, so nothing in a configured value is interpreted). Arguments are appended as MHA does.
 *
 * @param parameter the parameter it was configured with, e.g. {@code master_ip_failover_script}
 * @param commandLine the configured value
 */
public record MhaScript(Parameter<String> parameter, String commandLine) {

    public List<String> words() {
        return Arrays.asList(commandLine.trim().split("\\s+"));
    }

    public String program() {
        return words().get(0);
    }

    /** The program's path: as configured when it contains a slash, else looked up on PATH. */
    public Optional<Path> resolve() {
        String program = program();
        if (program.contains("/")) {
            return Optional.of(Path.of(program));
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        return Arrays.stream(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, program))
                .filter(Files::exists)
                .findFirst();
    }

    /** The configured command line followed by the arguments {@code arguments} adds. */
    public RemoteCommand command(Consumer<RemoteCommand.Builder> arguments) {
        List<String> words = words();
        RemoteCommand.Builder b = RemoteCommand.builder(words.get(0)).args(words.subList(1, words.size()));
        arguments.accept(b);
        return b.build();
    }

    @Override
    public String toString() {
        return parameter.name() + "=" + commandLine;
    }
}
