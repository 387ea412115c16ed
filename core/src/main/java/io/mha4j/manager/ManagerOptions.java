package io.mha4j.manager;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * masterha_manager's options, with MHA's meaning and defaults.
 *
 * @param workdir {@code --workdir}/{@code --manager_workdir}: overrides manager_workdir
 * @param ignoreLastFailover {@code --ignore_last_failover}
 * @param lastFailoverMinute {@code --last_failover_minute} (480)
 * @param removeDeadMasterConf {@code --remove_dead_master_conf}
 * @param waitOnMonitorError {@code --wait_on_monitor_error}: retry start-up checks after this long (0: exit)
 * @param waitOnFailoverError {@code --wait_on_failover_error}: wait this long before exiting after a failed failover
 * @param ignoreFailOnStart {@code --ignore_fail_on_start}
 * @param skipSshCheck {@code --skip_ssh_check}
 * @param secondsBehindMaster {@code --seconds_behind_master} for the start-up check (30)
 * @param checkOnly {@code --check_only}: run the start-up checks and exit
 * @param monitorOnly {@code --monitor_only} (masterha_master_monitor): never fail over
 * @param keepMonitoring mha4j: after a failover, re-read the topology and monitor the new master
 *     instead of exiting (MHA exits, and users wrap it in loops)
 */
public record ManagerOptions(
        Optional<Path> workdir,
        boolean ignoreLastFailover,
        Duration lastFailoverMinute,
        boolean removeDeadMasterConf,
        Duration waitOnMonitorError,
        Duration waitOnFailoverError,
        boolean ignoreFailOnStart,
        boolean skipSshCheck,
        long secondsBehindMaster,
        boolean checkOnly,
        boolean monitorOnly,
        boolean keepMonitoring) {

    public static final ManagerOptions MHA_DEFAULTS = new ManagerOptions(Optional.empty(), false,
            Duration.ofMinutes(480), false, Duration.ZERO, Duration.ZERO, false, false, 30, false, false, false);

    public ManagerOptions withWorkdir(Path dir) {
        return new ManagerOptions(Optional.of(dir), ignoreLastFailover, lastFailoverMinute, removeDeadMasterConf,
                waitOnMonitorError, waitOnFailoverError, ignoreFailOnStart, skipSshCheck, secondsBehindMaster, checkOnly,
                monitorOnly, keepMonitoring);
    }
}
