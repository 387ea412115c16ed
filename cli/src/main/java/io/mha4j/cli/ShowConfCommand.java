package io.mha4j.cli;

import io.mha4j.config.ConfigListing;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the effective configuration: every parameter of every server, its value and its origin. */
@Command(
        name = "show_conf",
        mixinStandardHelpOptions = true,
        description = "Print the effective configuration, where each value comes from, passwords masked.")
final class ShowConfCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfOptions conf;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(ConfigListing.render(conf.read()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
