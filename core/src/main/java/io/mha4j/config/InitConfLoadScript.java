package io.mha4j.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs MHA's {@code init_conf_load_script}, which prints extra {@code name=value} defaults
 * (typically passwords kept out of the file). The command is split on whitespace and run
 * without a shell, so nothing in it is interpreted. Its output is never logged: it is
 * expected to hold secrets.
 */
final class InitConfLoadScript {
    record Line(int number, String name, String value) {}

    private final String command;
    private final Duration timeout;

    InitConfLoadScript(String command, Duration timeout) {
        this.command = command;
        this.timeout = timeout;
    }

    List<Line> run() {
        List<String> argv = Arrays.stream(command.trim().split("\\s+")).toList();
        Process process;
        try {
            process = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw fail("cannot be started: " + e.getMessage());
        }
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw fail("did not finish within " + timeout.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                String firstErrorLine = err.join().lines().findFirst().orElse("");
                throw fail("exited with status " + process.exitValue()
                        + (firstErrorLine.isEmpty() ? "" : ": " + abbreviate(firstErrorLine)));
            }
            return parse(out.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw fail("was interrupted");
        }
    }

    private List<Line> parse(String output) {
        List<Line> lines = new ArrayList<>();
        int n = 0;
        for (String row : output.split("\\R")) {
            n++;
            if (row.isBlank()) {
                continue;
            }
            int eq = row.indexOf('=');
            if (eq <= 0) {
                throw fail("printed line " + n + " that is not name=value");
            }
            lines.add(new Line(
                    n, row.substring(0, eq).trim(), row.substring(eq + 1).trim()));
        }
        return lines;
    }

    private ConfigException fail(String problem) {
        return ConfigException.inCode(
                MhaConfigReader.SERVER_DEFAULT, Parameter.INIT_CONF_LOAD_SCRIPT.name(), "'" + command + "' " + problem);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
