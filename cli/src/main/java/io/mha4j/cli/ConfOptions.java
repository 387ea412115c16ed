package io.mha4j.cli;

import io.mha4j.config.ApplicationConfig;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** MHA's {@code --conf} (one application) and {@code --global_conf}, shared by every command but the manager's. */
final class ConfOptions {
    @Option(
            names = "--conf",
            required = true,
            paramLabel = "FILE",
            description = "the application file, e.g. /etc/mha/app1.cnf")
    Path conf;

    @Mixin
    GlobalConfOption global;

    ApplicationConfig read() {
        return global.read(conf);
    }

    /** {@link GlobalConfOption#readChecked}: the plugins resolved too. */
    ApplicationConfig readChecked() {
        return global.readChecked(conf);
    }
}
