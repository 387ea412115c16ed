package io.mha4j.gtid;

/**
 * The error for combining a MySQL GTID set with a MariaDB one. It names both sets, because the
 * mistake is almost always upstream (a replica read with the wrong dialect), and the two
 * values are what an operator needs to see where.
 */
final class FlavorMismatch {

    private FlavorMismatch() {}

    static IllegalArgumentException of(String operation, GtidSet left, GtidSet right) {
        return new IllegalArgumentException(operation + " of " + describe(left) + " and " + describe(right)
                + ": GTID sets of different flavors cannot be combined");
    }

    private static String describe(GtidSet set) {
        String flavor = set instanceof MysqlGtidSet ? "MySQL" : "MariaDB";
        return flavor + " GTID set " + Quoting.whole(set.toString());
    }
}
