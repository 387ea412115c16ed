package io.mha4j.cli;

import io.mha4j.check.PluginCheck;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.MhaConfigReader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** MHA's {@code --conf} and {@code --global_conf}, shared by every command. */
final class ConfOptions {
    @Option(
            names = "--conf",
            required = true,
            paramLabel = "FILE",
            description = "the application file, e.g. /etc/mha/app1.cnf")
    Path conf;

    @Option(
            names = "--global_conf",
            paramLabel = "FILE",
            description = "the global default file (default: /etc/masterha_default.cnf, skipped when missing)")
    Path globalConf;

    ApplicationConfig read() {
        MhaConfigReader reader = MhaConfigReader.forFile(conf);
        if (globalConf != null) {
            reader.globalFile(globalConf);
        }
        return reader.read();
    }

    /**
     * {@link #read()}, then every plugin it names resolved: for the commands that act on the servers, so
     * that a misnamed plugin is an error before anything runs (check_status, stop and show_conf read a file
     * a human may be in the middle of fixing).
     */
    ApplicationConfig readChecked() {
        ApplicationConfig config = read();
        PluginCheck.check(config);
        return config;
    }
}
