package io.mha4j.server;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's version as {@code SELECT @@version, @@version_comment} reports it. The JDBC
 * driver's metadata is useless here: mysql-connector-j reports every MariaDB as "5.5".
 *
 * @param flavor MySQL or MariaDB
 * @param major e.g. 10
 * @param minor e.g. 11
 * @param patch e.g. 19
 * @param text the full {@code @@version} text, e.g. {@code 10.11.19-MariaDB-0+deb12u1-log}
 */
public record ServerVersion(Flavor flavor, int major, int minor, int patch, String text)
        implements Comparable<ServerVersion> {

    // MariaDB's replication handshake prefixes "5.5.5-"; SELECT @@version does not, but be safe.
    private static final Pattern VERSION = Pattern.compile("^(?:5\\.5\\.5-)?(\\d+)\\.(\\d+)\\.(\\d+)");

    /**
     * Parses {@code @@version}; {@code versionComment} ({@code @@version_comment}) helps to
     * recognise MariaDB builds whose version text lacks the word.
     *
     * @throws IllegalArgumentException if the text has no {@code major.minor.patch}
     */
    public static ServerVersion parse(String version, String versionComment) {
        Matcher m = VERSION.matcher(version);
        if (!m.find()) {
            throw new IllegalArgumentException("unrecognised server version '" + version + "'");
        }
        String both = (version + " " + (versionComment == null ? "" : versionComment)).toLowerCase(Locale.ROOT);
        Flavor flavor = both.contains("mariadb") ? Flavor.MARIADB : Flavor.MYSQL;
        return new ServerVersion(
                flavor,
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)),
                version);
    }

    public boolean isAtLeast(int major, int minor, int patch) {
        return compareNumbers(major, minor, patch) >= 0;
    }

    private int compareNumbers(int otherMajor, int otherMinor, int otherPatch) {
        if (major != otherMajor) {
            return Integer.compare(major, otherMajor);
        }
        if (minor != otherMinor) {
            return Integer.compare(minor, otherMinor);
        }
        return Integer.compare(patch, otherPatch);
    }

    /** Orders by number within a flavor; MySQL sorts before MariaDB, which is arbitrary but total. */
    @Override
    public int compareTo(ServerVersion o) {
        int byFlavor = flavor.compareTo(o.flavor);
        return byFlavor != 0 ? byFlavor : compareNumbers(o.major, o.minor, o.patch);
    }

    /** {@code MariaDB 10.11.19}. */
    public String shortName() {
        return flavor.displayName() + " " + major + "." + minor + "." + patch;
    }

    @Override
    public String toString() {
        return shortName();
    }
}
