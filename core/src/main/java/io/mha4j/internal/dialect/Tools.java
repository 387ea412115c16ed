package io.mha4j.internal.dialect;

/** Where MySQL's and MariaDB's client programs are found on a database host. */
final class Tools {
    private Tools() {}

    /** {@code bindir/program}, or the bare program (found on PATH) when no bindir is configured. */
    static String path(String bindir, String program) {
        if (bindir == null || bindir.isBlank()) {
            return program;
        }
        return bindir.endsWith("/") ? bindir + program : bindir + "/" + program;
    }
}
