package io.mha4j.cli;

import io.mha4j.config.ConfHost;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * MHA's {@code masterha_conf_host}: {@code --command=add|delete} (MHA also says {@code remove})
 * a server block, every other line of the file kept as it was.
 */
@Command(
        name = "conf_host",
        mixinStandardHelpOptions = true,
        description = "Add a server block to an MHA configuration file, or delete one; other lines stay as they are.")
final class ConfHostCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--command", required = true, paramLabel = "add|delete", description = "add, delete (or remove)")
    String command;

    @Option(
            names = "--conf",
            required = true,
            paramLabel = "FILE",
            description = "the application's configuration file")
    Path conf;

    @Option(names = "--hostname", paramLabel = "HOST", description = "the server's hostname (required for add)")
    String hostname;

    @Option(
            names = "--block",
            paramLabel = "NAME",
            description = "block name; 'server' is prefixed unless present (default: server_<hostname>)")
    String block;

    @Option(
            names = "--params",
            paramLabel = "K=V;K=V",
            description = "parameters of the new block, e.g. \"no_master=1;ignore_fail=1\"")
    String params;

    @Override
    public Integer call() {
        String name = ConfHost.blockName(Optional.ofNullable(block), Optional.ofNullable(hostname));
        String message = switch (command) {
            case "add" -> {
                if (hostname == null) {
                    throw new ParameterException(spec.commandLine(), "--hostname=<new_host_name> must be set.");
                }
                List<String> list = params == null
                        ? List.of()
                        : Arrays.stream(params.split(";"))
                                .filter(p -> !p.isBlank())
                                .toList();
                yield ConfHost.add(conf, name, hostname, list);
            }
            case "delete", "remove" -> ConfHost.delete(conf, name);
            default ->
                throw new ParameterException(
                        spec.commandLine(), "--command must be add or delete, not '" + command + "'");
        };
        spec.commandLine().getOut().println(message);
        return 0;
    }
}
