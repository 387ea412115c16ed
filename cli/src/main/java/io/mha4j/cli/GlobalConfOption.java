package io.mha4j.cli;

import io.mha4j.check.PluginCheck;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.MhaConfigReader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** MHA's {@code --global_conf}, and how an application file is read with it. */
final class GlobalConfOption {
    @Option(
            names = "--global_conf",
            paramLabel = "FILE",
            description = "the global default file (default: /etc/masterha_default.cnf, skipped when missing)")
    Path globalConf;

    ApplicationConfig read(Path conf) {
        MhaConfigReader reader = MhaConfigReader.forFile(conf);
        if (globalConf != null) {
            reader.globalFile(globalConf);
        }
        return reader.read();
    }

    /**
     * {@link #read}, then every plugin it names resolved: for the commands that act on the servers, so
     * that a misnamed plugin is an error before anything runs (check_status, stop and show_conf read a file
     * a human may be in the middle of fixing).
     */
    ApplicationConfig readChecked(Path conf) {
        ApplicationConfig config = read(conf);
        PluginCheck.check(config);
        return config;
    }
}
