package io.mha4j.config;

import io.mha4j.Mha4jException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A configuration that cannot be used. The message names the file and line (when the value
 * came from a file), the section and the parameter, e.g.
 * {@code /etc/mha/app1.cnf:14: [server2] port: value '70000' is not a port (1-65535)}.
 * Passwords never appear in it.
 */
public final class ConfigException extends Mha4jException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String section;
    private final String parameter;
    private final String problem;

    private ConfigException(Path file, int line, String section, String parameter, String problem, Throwable cause) {
        super(compose(file, line, section, parameter, problem), cause);
        this.file = file;
        this.line = line;
        this.section = section;
        this.parameter = parameter;
        this.problem = problem;
    }

    /** A problem at a place in a file; any of section and parameter may be {@code null}. */
    public static ConfigException at(Path file, int line, String section, String parameter, String problem) {
        return new ConfigException(file, line, section, parameter, problem, null);
    }

    /** A problem with a value that came from {@code origin} (a file line or Java code). */
    public static ConfigException at(Origin origin, String section, String parameter, String problem) {
        return new ConfigException(origin.file(), origin.line(), section, parameter, problem, null);
    }

    /** A problem with a whole file, such as one that cannot be read. */
    public static ConfigException ofFile(Path file, String problem, Throwable cause) {
        return new ConfigException(file, 0, null, null, problem, cause);
    }

    /** A problem in a configuration built in code. */
    public static ConfigException inCode(String section, String parameter, String problem) {
        return new ConfigException(null, 0, section, parameter, problem, null);
    }

    private static String compose(Path file, int line, String section, String parameter, String problem) {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
            if (line > 0) {
                sb.append(':').append(line);
            }
            sb.append(": ");
        }
        if (section != null) {
            sb.append('[').append(section).append("] ");
        }
        if (parameter != null) {
            sb.append(parameter).append(": ");
        }
        return sb.append(problem).toString();
    }

    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** 1-based line, or 0 when the problem is not tied to a line. */
    public int line() {
        return line;
    }

    public Optional<String> section() {
        return Optional.ofNullable(section);
    }

    public Optional<String> parameter() {
        return Optional.ofNullable(parameter);
    }

    /** The problem without its location. */
    public String problem() {
        return problem;
    }
}
