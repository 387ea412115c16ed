package io.mha4j.testkit;

import java.util.Objects;

/**
 * A user name and password for a sandbox server. {@link #toString()} masks the password so
 * credentials can be logged and appear in assertion messages without leaking.
 */
public record Credentials(String user, String password) {

    public Credentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=xxx]";
    }
}
