package io.mha4j.manager;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * masterha_manager's options, with MHA's meaning and defaults, and what the manager does after a
 * failover.
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
 * @param afterFailover mha4j: {@link AfterFailover#STAY} (the default) guards the old master and
 *     monitors the new topology; {@link AfterFailover#EXIT} ({@code --exit_after_failover}) exits
 *     as MHA does, leaving the old master unguarded
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
        AfterFailover afterFailover) {

    /** What the manager does once a failover promoted a new master. */
    public enum AfterFailover {
        /**
         * Stay up: guard the old master and the replicas the failover could not recover (fence
         * them when they answer, rejoin or park them), and check and monitor the new topology.
         */
        STAY,
        /** Exit with the failover's code, as MHA does, for scripts that wait for that; nothing guards the old master. */
        EXIT
    }

    /** MHA's option defaults; after a failover the manager stays up and guards. */
    public static final ManagerOptions DEFAULTS = new ManagerOptions(Optional.empty(), false,
            Duration.ofMinutes(480), false, Duration.ZERO, Duration.ZERO, false, false, 30, false, false,
            AfterFailover.STAY);

    /** MHA's options and MHA's behaviour: exit after one failover ({@code --exit_after_failover}). */
    public static final ManagerOptions MHA_DEFAULTS = DEFAULTS.withAfterFailover(AfterFailover.EXIT);

    /**
     * The options before mha4j stayed up by default: {@code keepMonitoring} false meant MHA's
     * exit after one failover.
     *
     * @deprecated use the canonical constructor with {@link AfterFailover}
     */
    @Deprecated
    public ManagerOptions(Optional<Path> workdir, boolean ignoreLastFailover, Duration lastFailoverMinute,
            boolean removeDeadMasterConf, Duration waitOnMonitorError, Duration waitOnFailoverError,
            boolean ignoreFailOnStart, boolean skipSshCheck, long secondsBehindMaster, boolean checkOnly,
            boolean monitorOnly, boolean keepMonitoring) {
        this(workdir, ignoreLastFailover, lastFailoverMinute, removeDeadMasterConf, waitOnMonitorError,
                waitOnFailoverError, ignoreFailOnStart, skipSshCheck, secondsBehindMaster, checkOnly, monitorOnly,
                keepMonitoring ? AfterFailover.STAY : AfterFailover.EXIT);
    }

    public boolean exitAfterFailover() {
        return afterFailover == AfterFailover.EXIT;
    }

    public ManagerOptions withWorkdir(Path dir) {
        return new ManagerOptions(Optional.of(dir), ignoreLastFailover, lastFailoverMinute, removeDeadMasterConf,
                waitOnMonitorError, waitOnFailoverError, ignoreFailOnStart, skipSshCheck, secondsBehindMaster, checkOnly,
                monitorOnly, afterFailover);
    }

    public ManagerOptions withAfterFailover(AfterFailover after) {
        return new ManagerOptions(workdir, ignoreLastFailover, lastFailoverMinute, removeDeadMasterConf,
                waitOnMonitorError, waitOnFailoverError, ignoreFailOnStart, skipSshCheck, secondsBehindMaster, checkOnly,
                monitorOnly, after);
    }

    public ManagerOptions withIgnoreLastFailover(boolean ignore) {
        return new ManagerOptions(workdir, ignore, lastFailoverMinute, removeDeadMasterConf, waitOnMonitorError,
                waitOnFailoverError, ignoreFailOnStart, skipSshCheck, secondsBehindMaster, checkOnly, monitorOnly,
                afterFailover);
    }

    public ManagerOptions withSkipSshCheck(boolean skip) {
        return new ManagerOptions(workdir, ignoreLastFailover, lastFailoverMinute, removeDeadMasterConf,
                waitOnMonitorError, waitOnFailoverError, ignoreFailOnStart, skip, secondsBehindMaster, checkOnly,
                monitorOnly, afterFailover);
    }

    public ManagerOptions withWaitOnMonitorError(Duration wait) {
        return new ManagerOptions(workdir, ignoreLastFailover, lastFailoverMinute, removeDeadMasterConf, wait,
                waitOnFailoverError, ignoreFailOnStart, skipSshCheck, secondsBehindMaster, checkOnly, monitorOnly,
                afterFailover);
    }
}
