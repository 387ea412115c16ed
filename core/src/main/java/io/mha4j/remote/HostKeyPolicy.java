package io.mha4j.remote;

import java.util.Locale;

/**
 * How an SSH connection treats the host's key. MHA always runs ssh with
 * {@code StrictHostKeyChecking=no}; mha4j verifies unless the configuration says otherwise.
 */
public enum HostKeyPolicy {
    /** Only keys already in known_hosts are accepted. */
    STRICT,
    /** An unknown host's key is recorded and accepted; a changed key is refused (OpenSSH's accept-new). */
    ACCEPT_NEW,
    /** No verification at all: what MHA does. Only when configured explicitly. */
    OFF;

    /** From {@code ssh_host_key_checking} or OpenSSH's {@code StrictHostKeyChecking} value. */
    public static HostKeyPolicy parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "strict", "yes" -> STRICT;
            case "accept-new" -> ACCEPT_NEW;
            case "off", "no" -> OFF;
            default ->
                throw new IllegalArgumentException(
                        "unknown host key checking '" + value + "' (strict, accept-new or off)");
        };
    }

    /** The value of OpenSSH's StrictHostKeyChecking option with the same meaning. */
    public String openSshValue() {
        return switch (this) {
            case STRICT -> "yes";
            case ACCEPT_NEW -> "accept-new";
            case OFF -> "no";
        };
    }
}
