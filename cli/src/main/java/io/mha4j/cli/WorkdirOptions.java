package io.mha4j.cli;

import io.mha4j.config.ApplicationConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** MHA's {@code --workdir}/{@code --manager_workdir}, overriding the configured manager_workdir. */
final class WorkdirOptions {
    @Option(
            names = {"--workdir", "--manager_workdir"},
            paramLabel = "DIR",
            description = "manager_workdir, overriding the configuration")
    Path workdir;

    Path resolve(ApplicationConfig config) {
        return workdir != null ? workdir : config.managerWorkdir();
    }
}
