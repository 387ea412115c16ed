package io.mha4j.cli;

import io.mha4j.Mha4jException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mha4j} launcher. Each MHA tool is a subcommand; options follow MHA's spelling
 * ({@code --conf=…}) so that existing command lines keep working.
 */
@Command(
        name = "mha4j",
        mixinStandardHelpOptions = true,
        versionProvider = Mha4jCommand.Version.class,
        description = "MySQL/MariaDB master high availability, compatible with MHA 0.58.",
        subcommands = {
            ShowConfCommand.class,
            CheckSshCommand.class,
            CheckReplCommand.class,
            CheckStatusCommand.class,
            StopCommand.class,
            ManagerCommand.class,
            AcknowledgeCommand.class,
            ConfHostCommand.class,
            MasterSwitchCommand.class,
            MasterMonitorCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Mha4jCommand {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code; errors are one line on stderr, never a stack trace. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The command line, ready to run: a launcher may add commands of its own (the samples' demo and
     * benchmarks) before it executes it.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Mha4jCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("[error] " + messageOf(e));
            return e instanceof Mha4jException ? 1 : 2;
        });
        return cli;
    }

    private static String messageOf(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Mha4jCommand.class.getPackage().getImplementationVersion();
            return new String[] {"mha4j " + (v == null ? "(development build)" : v)};
        }
    }
}
