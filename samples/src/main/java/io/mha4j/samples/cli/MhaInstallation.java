package io.mha4j.samples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MHA 0.58 as Debian 12 packages it ({@code mha4mysql-manager}, {@code mha4mysql-node}), found
 * (or, when asked, installed) and made to run on MariaDB 10.11 without changing a file of it.
 *
 * <p>Stock 0.58 stops on MariaDB 10.11 twice (see {@code docs/research/mha-0.58-check-outputs.md}
 * §2): its version parser hands every number of "10.11.19-MariaDB-0+deb12u1-log" to a format with
 * three places (Perl 5.36 with fatal warnings dies of it), and its super_read_only check dies on
 * a server that has no such variable. The bench writes a small Perl module of its own into the
 * run's directory, loaded into every MHA process through {@code PERL5OPT} and {@code PERL5LIB} (the
 * manager's, and the node tools' over SSH through the sshd's {@code SetEnv}): it replaces the
 * parser with one that reads the first numbers only, and makes a failing super_read_only check
 * answer "not enabled". The installed files stay as they are; deleting the run's directory undoes it.
 */
final class MhaInstallation {
    static final String PACKAGES = "mha4mysql-manager mha4mysql-node";
    static final String FIXES_MODULE = "MHA4jBenchFixes";
    private static final Path MODULES = Path.of("/usr/share/perl5/MHA");
    private static final List<Path> FILES = List.of(
            Path.of("/usr/bin/masterha_manager"),
            Path.of("/usr/bin/save_binary_logs"),
            Path.of("/usr/bin/apply_diff_relay_logs"),
            MODULES.resolve("NodeUtil.pm"),
            MODULES.resolve("SlaveUtil.pm"),
            MODULES.resolve("ManagerConst.pm"));
    private static final String STANDARD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** Our own Perl, not MHA's: the two fixes, applied in memory to the loaded modules. */
    private static final String FIXES = String.join(
            "\n",
            "package " + FIXES_MODULE + ";",
            "# Written by mha4j's `bench failover`: lets MHA 0.58 run on MariaDB 10.11 without changing its files.",
            "use strict;",
            "use warnings;",
            "use MHA::NodeUtil ();",
            "use MHA::SlaveUtil ();",
            "no warnings qw(redefine prototype);",
            "# '10.11.19-MariaDB-0+deb12u1-log': only the first numbers, zero-padded to three places each.",
            "sub leading_numbers { my ($text, $count) = @_; my @n = ($text =~ m/(\\d+)/g);",
            "  return join '', map { sprintf '%03d', $n[$_] // 0 } 0 .. $count - 1; }",
            "*MHA::NodeUtil::parse_mysql_version = sub ($) { leading_numbers($_[0], 3) };",
            "*MHA::NodeUtil::parse_mysql_major_version = sub ($) { leading_numbers($_[0], 2) };",
            "# MariaDB has no super_read_only: the query's 'Unknown system variable' means it is not enabled.",
            "my $check = \\&MHA::SlaveUtil::check_if_super_read_only;",
            "*MHA::SlaveUtil::check_if_super_read_only = sub { my @answer = eval { $check->(@_) };",
            "  return @answer if @answer; die $@ unless $@ =~ /Unknown system variable/; return (0, 0); };",
            "1;",
            "");

    private final Path lib;

    private MhaInstallation(Path lib) {
        this.lib = lib;
    }

    /** What is missing of MHA 0.58, and how to install it; empty when it is installed. */
    static Optional<String> missing() {
        List<Path> absent = FILES.stream().filter(f -> !Files.exists(f)).toList();
        if (absent.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("MHA 0.58 is not installed (" + absent + " missing). Install Debian's packages as root:"
                + " apt-get install " + PACKAGES + " (bookworm has 0.58-1.1; bin/prerequisites does not install"
                + " them), or run the bench as root with --install_mha");
    }

    /**
     * Installs the packages with apt-get (root only), printing what it does.
     *
     * @throws IllegalStateException when not root or apt-get fails
     */
    static void install(PrintWriter out) {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("--install_mha installs Debian packages and needs root: "
                    + missing().orElse(""));
        }
        List<String> command =
                List.of("apt-get", "install", "-y", "--no-install-recommends", "mha4mysql-manager", "mha4mysql-node");
        out.println("Installing MHA 0.58: " + String.join(" ", command));
        out.flush();
        String output = run(command, 600);
        if (missing().isPresent()) {
            throw new IllegalStateException(
                    "apt-get did not install MHA: " + missing().get() + "\n" + output);
        }
    }

    /** MHA's version as its installed modules say it ({@code $VERSION} in ManagerConst.pm). */
    static String version() {
        try {
            Matcher m = Pattern.compile("VERSION\\s*=\\s*'([^']+)'")
                    .matcher(Files.readString(MODULES.resolve("ManagerConst.pm"), StandardCharsets.UTF_8));
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * Writes the fixes module into {@code runDir/mha-perl} and checks that Perl loads it and parses
     * a MariaDB version with it.
     *
     * @throws IllegalStateException when the check fails (another MHA version, a Perl without DBI)
     */
    static MhaInstallation prepare(Path runDir) {
        Path lib = runDir.resolve("mha-perl");
        try {
            Files.createDirectories(lib);
            Files.writeString(lib.resolve(FIXES_MODULE + ".pm"), FIXES, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the MHA fixes module into " + lib, e);
        }
        MhaInstallation mha = new MhaInstallation(lib);
        String parsed = run(
                        List.of(
                                "env",
                                "PERL5LIB=" + lib,
                                "perl",
                                "-M" + FIXES_MODULE,
                                "-e",
                                "print MHA::NodeUtil::parse_mysql_version('10.11.19-MariaDB-0+deb12u1-log')"),
                        60)
                .trim();
        if (!parsed.equals("010011019")) {
            throw new IllegalStateException("The MHA fixes module in " + lib + " did not load as expected (MHA "
                    + version() + "): perl printed '" + parsed + "'");
        }
        return mha;
    }

    /**
     * The environment of every MHA process, the manager's and (through the sshd's {@code SetEnv})
     * the node tools': the fixes module, and {@code wrappers} first on the PATH.
     */
    Map<String, String> environment(Path wrappers) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PERL5LIB", lib.toString());
        env.put("PERL5OPT", "-M" + FIXES_MODULE);
        env.put("PATH", wrappers + ":" + STANDARD_PATH);
        return env;
    }

    private static String run(List<String> command, int seconds) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not end within " + seconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
