package io.mha4j.internal.remote;

import io.mha4j.config.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A MySQL client option file ({@code [client]} user, password, and host/port when given): how
 * client programs get a password without it appearing on a command line.
 */
public final class ClientOptions {
    private ClientOptions() {}

    /** The file's text. */
    public static String text(String user, Secret password, String host, int port) {
        StringBuilder cnf = new StringBuilder("[client]\nuser=").append(user).append("\npassword=")
                .append(optionValue(password.reveal())).append('\n');
        if (host != null) {
            cnf.append("host=").append(host).append("\nport=").append(port).append('\n');
        }
        return cnf.toString();
    }

    /**
     * Writes the file on this machine, in {@code dir}, readable by its owner only from its creation
     * on; the caller deletes it.
     */
    public static Path writeLocal(Path dir, String user, Secret password, String host, int port) {
        try {
            Path file = Files.createTempFile(dir, "mha4j-client-", ".cnf",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text(user, password, host, port), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a client option file in " + dir, e);
        }
    }

    /** An option file value in double quotes, so that {@code #}, spaces and quotes survive. */
    static String optionValue(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
