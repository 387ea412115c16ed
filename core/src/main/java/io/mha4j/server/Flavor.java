package io.mha4j.server;

/** The two server families mha4j speaks to. Versions within a family differ in their {@link Dialect}. */
public enum Flavor {
    MYSQL("MySQL"),
    MARIADB("MariaDB");

    private final String displayName;

    Flavor(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
