package io.mha4j.internal.remote;

import io.mha4j.config.Secret;

/**
 * A MySQL client option file ({@code [client]} user, password, and host/port when given): how
 * client programs get a password without it appearing on a command line. Only its text: the
 * failover's replay hands it to the client through a pipe, so that no file holds the password;
 * {@link PrivateDirectory} writes it where a long-running client needs a file.
 */
public final class ClientOptions {
    private ClientOptions() {}

    /** The file's text. */
    public static String text(String user, Secret password, String host, int port) {
        StringBuilder cnf = new StringBuilder("[client]\nuser=")
                .append(user)
                .append("\npassword=")
                .append(optionValue(password.reveal()))
                .append('\n');
        if (host != null) {
            cnf.append("host=").append(host).append("\nport=").append(port).append('\n');
        }
        return cnf.toString();
    }

    /** An option file value in double quotes, so that {@code #}, spaces and quotes survive. */
    static String optionValue(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
