package io.mha4j.check;

import java.util.Optional;

/**
 * One thing a check found: its severity, its kind, the server it concerns (its block name, or
 * empty for the whole application), and a message for people that names the server.
 */
public record Finding(Severity severity, FindingKind kind, Optional<String> server, String message) {

    public static Finding error(FindingKind kind, String server, String message) {
        return new Finding(Severity.ERROR, kind, Optional.ofNullable(server), message);
    }

    public static Finding warning(FindingKind kind, String server, String message) {
        return new Finding(Severity.WARNING, kind, Optional.ofNullable(server), message);
    }

    public static Finding info(FindingKind kind, String server, String message) {
        return new Finding(Severity.INFO, kind, Optional.ofNullable(server), message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return "[" + severity.name().toLowerCase() + "] " + message;
    }
}
