/**
 * The {@link io.mha4j.remote.RemoteShell} over SSH ({@code remote_shell=ssh}):
 * {@link io.mha4j.ssh.SshRemoteShell}, built on sshj, and its provider
 * {@link io.mha4j.ssh.SshRemoteShellProvider}.
 *
 * <h2>Connections</h2>
 * One connection per target, opened on first use and reused by every command (an exec session
 * each, several at once) and every file transfer (one SFTP session), kept alive with
 * {@code keepalive@openssh.com} requests every {@link io.mha4j.remote.SshTarget#keepAlive()};
 * a dead connection is replaced at the next operation.
 *
 * <h2>Host keys</h2>
 * Checked against {@link io.mha4j.remote.SshTarget#knownHostsFile()} per
 * {@link io.mha4j.remote.HostKeyPolicy}: {@code STRICT} accepts only keys recorded there,
 * {@code ACCEPT_NEW} also records and accepts the key of a host the file does not name (as
 * OpenSSH's {@code StrictHostKeyChecking=accept-new}) but refuses a changed key, {@code OFF}
 * checks nothing. An unknown host ({@code HOST_KEY_UNKNOWN}) and a changed key
 * ({@code HOST_KEY_CHANGED}) are told apart by looking the host up in the file.
 *
 * <h2>Authentication</h2>
 * Public keys only, from {@link io.mha4j.remote.SshTarget#identityFiles()}; keys with a
 * passphrase are not supported (they are skipped and named in the error).
 */
package io.mha4j.ssh;
