package io.mha4j.cli;

import picocli.CommandLine.Command;

/** MHA's {@code masterha_master_monitor}: the manager's checks and monitoring, never a failover. */
@Command(
        name = "master_monitor",
        mixinStandardHelpOptions = true,
        description = "Monitor the master and report its death without failing over (masterha_master_monitor).")
final class MasterMonitorCommand extends ManagerCommand {
    @Override
    public Integer call() {
        monitorOnly = true;
        return super.call();
    }
}
