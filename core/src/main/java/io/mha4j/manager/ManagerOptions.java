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
    public static final ManagerOptions DEFAULTS = new ManagerOptions(
            Optional.empty(),
            false,
            Duration.ofMinutes(480),
            false,
            Duration.ZERO,
            Duration.ZERO,
            false,
            false,
            30,
            false,
            false,
            AfterFailover.STAY);

    /** MHA's options and MHA's behaviour: exit after one failover ({@code --exit_after_failover}). */
    public static final ManagerOptions MHA_DEFAULTS = DEFAULTS.withAfterFailover(AfterFailover.EXIT);

    /** Options from {@link #DEFAULTS}, each set by name. */
    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }

    /** These options, each changeable by name. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public boolean exitAfterFailover() {
        return afterFailover == AfterFailover.EXIT;
    }

    public ManagerOptions withWorkdir(Path dir) {
        return toBuilder().workdir(dir).build();
    }

    public ManagerOptions withAfterFailover(AfterFailover after) {
        return toBuilder().afterFailover(after).build();
    }

    public ManagerOptions withIgnoreLastFailover(boolean ignore) {
        return toBuilder().ignoreLastFailover(ignore).build();
    }

    public ManagerOptions withSkipSshCheck(boolean skip) {
        return toBuilder().skipSshCheck(skip).build();
    }

    public ManagerOptions withWaitOnMonitorError(Duration wait) {
        return toBuilder().waitOnMonitorError(wait).build();
    }

    /** Sets the options by name: eleven positional values read badly, and seven of them are booleans. */
    public static final class Builder {
        private Optional<Path> workdir;
        private boolean ignoreLastFailover;
        private Duration lastFailoverMinute;
        private boolean removeDeadMasterConf;
        private Duration waitOnMonitorError;
        private Duration waitOnFailoverError;
        private boolean ignoreFailOnStart;
        private boolean skipSshCheck;
        private long secondsBehindMaster;
        private boolean checkOnly;
        private boolean monitorOnly;
        private AfterFailover afterFailover;

        private Builder(ManagerOptions o) {
            this.workdir = o.workdir;
            this.ignoreLastFailover = o.ignoreLastFailover;
            this.lastFailoverMinute = o.lastFailoverMinute;
            this.removeDeadMasterConf = o.removeDeadMasterConf;
            this.waitOnMonitorError = o.waitOnMonitorError;
            this.waitOnFailoverError = o.waitOnFailoverError;
            this.ignoreFailOnStart = o.ignoreFailOnStart;
            this.skipSshCheck = o.skipSshCheck;
            this.secondsBehindMaster = o.secondsBehindMaster;
            this.checkOnly = o.checkOnly;
            this.monitorOnly = o.monitorOnly;
            this.afterFailover = o.afterFailover;
        }

        /** {@code --workdir}; null: {@code manager_workdir}. */
        public Builder workdir(Path dir) {
            this.workdir = Optional.ofNullable(dir);
            return this;
        }

        public Builder ignoreLastFailover(boolean ignore) {
            this.ignoreLastFailover = ignore;
            return this;
        }

        public Builder lastFailoverMinute(Duration window) {
            this.lastFailoverMinute = window;
            return this;
        }

        public Builder removeDeadMasterConf(boolean remove) {
            this.removeDeadMasterConf = remove;
            return this;
        }

        public Builder waitOnMonitorError(Duration wait) {
            this.waitOnMonitorError = wait;
            return this;
        }

        public Builder waitOnFailoverError(Duration wait) {
            this.waitOnFailoverError = wait;
            return this;
        }

        public Builder ignoreFailOnStart(boolean ignore) {
            this.ignoreFailOnStart = ignore;
            return this;
        }

        public Builder skipSshCheck(boolean skip) {
            this.skipSshCheck = skip;
            return this;
        }

        public Builder secondsBehindMaster(long seconds) {
            this.secondsBehindMaster = seconds;
            return this;
        }

        public Builder checkOnly(boolean only) {
            this.checkOnly = only;
            return this;
        }

        public Builder monitorOnly(boolean only) {
            this.monitorOnly = only;
            return this;
        }

        public Builder afterFailover(AfterFailover after) {
            this.afterFailover = after;
            return this;
        }

        public ManagerOptions build() {
            return new ManagerOptions(
                    workdir,
                    ignoreLastFailover,
                    lastFailoverMinute,
                    removeDeadMasterConf,
                    waitOnMonitorError,
                    waitOnFailoverError,
                    ignoreFailOnStart,
                    skipSshCheck,
                    secondsBehindMaster,
                    checkOnly,
                    monitorOnly,
                    afterFailover);
        }
    }
}
