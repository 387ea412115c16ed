package io.mha4j.internal.dialect;

import java.util.ArrayList;
import java.util.List;

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

    /** {@code program options… --result-file=F binlogs…}; without {@code --result-file} when F is empty (standard output). */
    static List<String> binlogToSql(String program, List<String> options, List<String> binlogs, String resultFile) {
        List<String> argv = new ArrayList<>();
        argv.add(program);
        argv.addAll(options);
        if (!resultFile.isEmpty()) {
            argv.add("--result-file=" + resultFile);
        }
        argv.addAll(binlogs);
        return argv;
    }

    /** {@code program --defaults-extra-file=F --read-from-remote-server --raw --stop-never …}. */
    static List<String> binlogFollow(
            String program, String optionFile, String host, int port, String directory, String firstFile) {
        String dir = directory.endsWith("/") ? directory : directory + "/";
        return List.of(
                program,
                "--defaults-extra-file=" + optionFile,
                "--read-from-remote-server",
                "--raw",
                "--stop-never",
                "--host=" + host,
                "--port=" + port,
                "--result-file=" + dir,
                firstFile);
    }
}
