package io.mha4j.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The variables every session of an {@link OpenSshServer} gets (one {@code SetEnv} line): the
 * caller's, the server's empty HOME, and those that make the user's shell start as its
 * {@link LoginShell} says.
 */
final class SessionEnvironment {
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** The variables the server sets itself. */
    private static final List<String> RESERVED = List.of("HOME", "SHLVL", "BASH_ENV");

    private static final Path PASSWD = Path.of("/etc/passwd");

    private SessionEnvironment() {}

    /**
     * Refuses what sshd_config's {@code SetEnv} cannot carry, or what the server sets itself.
     *
     * @throws IllegalArgumentException naming the variable
     */
    static void check(String name, String value) {
        if (!VARIABLE.matcher(name).matches() || RESERVED.contains(name)) {
            throw new IllegalArgumentException("Not a variable a session may be given: '" + name + "'"
                    + (RESERVED.contains(name) ? " (the server sets it: see userHome and loginShell)" : ""));
        }
        if (value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            throw new IllegalArgumentException("The value of " + name + " holds a double quote or a line break,"
                    + " which sshd_config's SetEnv cannot carry: " + value);
        }
    }

    /** Every session's variables; writes the slow shell's start script where it needs one. */
    static Map<String, String> of(
            SshdDirectory files, Map<String, String> callers, boolean userHome, LoginShell loginShell) {
        Map<String, String> env = new TreeMap<>(callers);
        if (!userHome) {
            // A login shell sources ~/.bashrc even for a command; a developer's (pyenv, nvm ...) can cost a
            // second per command and is no part of what a test tests.
            env.put("HOME", files.sessionHome().toString());
        }
        if (loginShell != LoginShell.AS_IS) {
            // bash started by sshd sources ~/.bashrc only as a top-level shell (SHLVL < 2): this makes it nested.
            env.put("SHLVL", "1");
        }
        if (loginShell == LoginShell.SLOW) {
            files.writeSlowShellStart();
            env.put("BASH_ENV", files.slowShellStart().toString());
        }
        return env;
    }

    /**
     * LEAN and SLOW work through bash's start-up rules, which another login shell ignores.
     *
     * @throws SandboxException when {@code /etc/passwd} gives the user another shell
     */
    static void requireBashFor(LoginShell loginShell, String user) {
        if (loginShell == LoginShell.AS_IS) {
            return;
        }
        Optional<String> shell = loginShellOf(user);
        if (shell.isPresent() && !Path.of(shell.get()).getFileName().toString().equals("bash")) {
            throw new SandboxException("LoginShell." + loginShell + " needs bash as " + user + "'s login shell;"
                    + " /etc/passwd says " + shell.get());
        }
    }

    /** Empty when the user is not in {@code /etc/passwd} (a directory service's user) or it cannot be read. */
    static Optional<String> loginShellOf(String user) {
        try {
            return loginShellOf(user, Files.readAllLines(PASSWD, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The last of the user's seven fields in {@code passwdLines}. */
    static Optional<String> loginShellOf(String user, List<String> passwdLines) {
        return passwdLines.stream()
                .map(l -> l.split(":", -1))
                .filter(f -> f.length == 7 && f[0].equals(user))
                .map(f -> f[6])
                .filter(s -> !s.isEmpty())
                .findFirst();
    }
}
