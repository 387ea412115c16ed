package io.mha4j.samples.cli;

import io.mha4j.testkit.LoginShell;

/**
 * The remote user's shell start on the bench's hosts ({@code --login_shell}): every remote
 * command pays it, so it decides how much a failover over SSH costs.
 */
enum HostShell {
    /** Sources nothing: the cheapest host. */
    LEAN("lean", LoginShell.LEAN, false),
    /** Takes one second per command and per SFTP session, as a host with a slow {@code ~/.bashrc}. */
    SLOW("slow", LoginShell.SLOW, false),
    /** The OS user's own rc files, whatever they do on this machine (e.g. {@code pyenv init}). */
    AS_IS("as-is", LoginShell.AS_IS, true);

    final String label;
    final LoginShell loginShell;
    /** Whether sessions get the user's real HOME, and so its rc files. */
    final boolean userHome;

    HostShell(String label, LoginShell loginShell, boolean userHome) {
        this.label = label;
        this.loginShell = loginShell;
        this.userHome = userHome;
    }

    static HostShell parse(String s) {
        return Labels.parse(values(), c -> c.label, s, "--login_shell");
    }
}
