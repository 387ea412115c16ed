package io.mha4j.samples.cli;

import io.mha4j.cli.Mha4jCommand;
import picocli.CommandLine;

/**
 * {@code samples/bin/mha4j}: the command line of {@code mha4j-cli} (what a DBA installs) plus what a
 * developer runs besides — the {@code demo} on a sandbox and the {@code bench} commands.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code, as {@link Mha4jCommand#run} does. */
    public static int run(String... args) {
        CommandLine cli = Mha4jCommand.commandLine();
        cli.addSubcommand(new DemoCommand());
        cli.addSubcommand(new BenchCommand());
        return cli.execute(args);
    }
}
