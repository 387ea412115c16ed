package io.mha4j.testkit;

/**
 * How the remote user's shell starts in the sessions of an {@link OpenSshServer}: sshd runs every
 * command, and the {@code sftp} subsystem, through the user's login shell ({@code bash -c ...}), and
 * on real hosts that start costs what the user's rc files cost (profile scripts, {@code pyenv},
 * {@code conda}, {@code nvm}: from milliseconds to seconds per command). Code that reaches hosts over
 * SSH can be timed against each kind of host.
 *
 * <p>{@link #LEAN} and {@link #SLOW} need {@code bash} as the user's login shell (Debian's: it sources
 * {@code ~/.bashrc} for a command sshd runs, but only in a top-level shell, {@code SHLVL} below 2).
 */
public enum LoginShell {
    /**
     * A shell that sources no rc file at all, whatever the session's HOME holds ({@code SetEnv
     * SHLVL=1} in {@code sshd_config}: bash started by sshd then counts as nested): the cheapest a
     * host can be.
     */
    LEAN,
    /**
     * A shell that takes one second to start, once per exec and once per SFTP session, as a host
     * with a slow {@code ~/.bashrc} (sources no rc file, and a {@code BASH_ENV} script sleeps one
     * second; it unsets {@code BASH_ENV}, so that shells the command starts in turn do not pay
     * again, as a real {@code ~/.bashrc} runs only in the top-level shell).
     */
    SLOW,
    /**
     * Nothing changed: the shell sources the rc files of the session's HOME, which is an empty
     * directory of the server's unless {@link OpenSshServer.Builder#userHome(boolean) userHome(true)},
     * and then the OS user's own (on a developer's machine: whatever its {@code ~/.bashrc} does).
     * The default.
     */
    AS_IS
}
