package io.mha4j.samples.cli;

import io.mha4j.config.ConfigListing;
import io.mha4j.config.MhaConfigReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints the effective configuration: every parameter of every server, its value and its origin. */
@Command(name = "show_conf", mixinStandardHelpOptions = true,
        description = "Print the effective configuration, where each value comes from, passwords masked.")
final class ShowConfCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--conf", required = true, paramLabel = "FILE", description = "the application file, e.g. /etc/mha/app1.cnf")
    Path conf;

    @Option(names = "--global_conf", paramLabel = "FILE",
            description = "the global default file (default: /etc/masterha_default.cnf, skipped when missing)")
    Path globalConf;

    @Override
    public Integer call() {
        MhaConfigReader reader = MhaConfigReader.forFile(conf);
        if (globalConf != null) {
            reader.globalFile(globalConf);
        }
        spec.commandLine().getOut().print(ConfigListing.render(reader.read()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
