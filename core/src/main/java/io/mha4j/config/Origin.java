package io.mha4j.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a setting came from, so that {@code show_conf} and error messages can point at the
 * line a user has to edit.
 *
 * @param kind which layer of MHA's precedence the value belongs to
 * @param file the file it was read from, or {@code null}
 * @param line its 1-based line in that file, or 0
 * @param section the section it was read from (e.g. {@code server default}), or {@code null}
 */
public record Origin(Kind kind, Path file, int line, String section) {

    /** The layers of MHA's precedence, lowest first, plus values set from Java code. */
    public enum Kind {
        BUILT_IN,
        GLOBAL_FILE,
        SERVER_DEFAULT,
        INIT_CONF_LOAD_SCRIPT,
        SERVER_BLOCK,
        CODE
    }

    public static final Origin BUILT_IN = new Origin(Kind.BUILT_IN, null, 0, null);
    public static final Origin CODE = new Origin(Kind.CODE, null, 0, null);

    public static Origin inFile(Kind kind, Path file, int line, String section) {
        return new Origin(kind, file, line, section);
    }

    public Optional<Path> fileIfAny() {
        return Optional.ofNullable(file);
    }

    /** "default", "[server default] /etc/mha/app1.cnf:5", "global file /etc/masterha_default.cnf:3". */
    public String describe() {
        return switch (kind) {
            case BUILT_IN -> "default";
            case CODE -> "set in code";
            case INIT_CONF_LOAD_SCRIPT -> "init_conf_load_script";
            case GLOBAL_FILE -> "global file " + location();
            case SERVER_DEFAULT, SERVER_BLOCK -> "[" + section + "] " + location();
        };
    }

    private String location() {
        return file == null ? "" : file + (line > 0 ? ":" + line : "");
    }

    @Override
    public String toString() {
        return describe();
    }
}
