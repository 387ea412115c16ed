package io.mha4j.internal.failover;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.internal.config.IniDocument;
import io.mha4j.internal.failover.NewMasterRecovery.Promotion;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase 5, MHA's "new master cleanup": the dead master's fencing is finished, the statement that
 * makes the repaired old master a replica of the new one is written down, and with
 * {@code --remove_dead_master_conf} the dead master's block leaves the configuration file.
 */
public final class Cleanup {
    private static final Logger log = LoggerFactory.getLogger(Cleanup.class);

    private final FailoverSetup setup;
    private final boolean removeDeadMasterConf;

    public Cleanup(FailoverSetup setup, boolean removeDeadMasterConf) {
        this.setup = setup;
        this.removeDeadMasterConf = removeDeadMasterConf;
    }

    /**
     * @param rejoin receives the statement that rejoins the old master (password as {@code xxx}) as
     *     soon as it is known, so that the report has it even if editing the configuration fails
     */
    public Void run(
            DeadMasterIsolation isolation, ServerConfig deadMaster, Promotion promotion, Consumer<String> rejoin) {
        isolation.finish();
        Survivor master = promotion.newMaster();
        String statement = setup.rewirer()
                .rejoinStatement(master.connection(), setup.sourceOf(master.config(), promotion.survivors()));
        log.info("All other slaves should start replication from here. Statement should be: {}", statement);
        rejoin.accept(statement);
        if (removeDeadMasterConf) {
            removeFromConfig(setup.config(), deadMaster);
        }
        return null;
    }

    private static void removeFromConfig(ApplicationConfig config, ServerConfig dead) {
        Optional<Path> file = config.files().map(ApplicationConfig.ConfigFiles::applicationFile);
        if (file.isEmpty()) {
            log.info("--remove_dead_master_conf: the configuration was not read from a file; nothing to edit");
            return;
        }
        IniDocument.read(file.get()).withoutSection(dead.block()).write(file.get());
        log.info("Removed [{}] ({}) from {}", dead.block(), dead.displayName(), file.get());
    }
}
