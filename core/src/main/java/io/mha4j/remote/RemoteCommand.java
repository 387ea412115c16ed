package io.mha4j.remote;

import io.mha4j.config.Secret;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * A command as an argument vector. Arguments are never interpreted by a shell: the local
 * shell runs the vector directly, an SSH shell quotes every argument for the remote shell.
 * Arguments built from a {@link Secret} print as {@code xxx} in {@link #toString()}.
 *
 * <p>A command is not {@linkplain #isRepeatable() repeatable} unless marked: a shell that lost
 * track of whether it ran (its channel broke while the command was being sent) must not run it
 * again, since running it twice may do harm (a VIP added twice, events replayed twice).
 */
public final class RemoteCommand {
    private final List<String> argv;
    private final BitSet secret;
    private final boolean repeatable;

    private RemoteCommand(List<String> argv, BitSet secret, boolean repeatable) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least a program");
        }
        this.argv = List.copyOf(argv);
        this.secret = (BitSet) secret.clone();
        this.repeatable = repeatable;
    }

    public static RemoteCommand of(String program, String... args) {
        return builder(program).args(args).build();
    }

    public static RemoteCommand of(List<String> argv) {
        return new RemoteCommand(argv, new BitSet(), false);
    }

    public static Builder builder(String program) {
        return new Builder(program);
    }

    /**
     * This command, marked safe to run twice: it only reads ({@code true}, {@code ls}, a binlog
     * tool printing events), or a second run changes nothing ({@code mkdir -p}, {@code rm -rf}).
     * A shell may then run it again elsewhere when it cannot tell whether a first attempt ran.
     */
    public RemoteCommand repeatable() {
        return new RemoteCommand(argv, secret, true);
    }

    /** Whether {@link #repeatable()} marked it. */
    public boolean isRepeatable() {
        return repeatable;
    }

    /** The arguments, program first, secrets in clear: only for handing to a process. */
    public List<String> argv() {
        return argv;
    }

    /**
     * The command as one line for a POSIX shell, every argument single-quoted so that nothing
     * in it ({@code $}, {@code ;}, spaces, quotes) is interpreted. Contains secrets in clear.
     */
    public String shellLine() {
        StringBuilder sb = new StringBuilder();
        for (String arg : argv) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(quote(arg));
        }
        return sb.toString();
    }

    /** A POSIX-shell single-quoted literal of {@code s}. */
    public static String quote(String s) {
        if (!s.isEmpty() && s.chars().allMatch(c -> Character.isLetterOrDigit(c) || "@%+=:,./-_".indexOf(c) >= 0)) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RemoteCommand c && c.argv.equals(argv) && c.repeatable == repeatable;
    }

    @Override
    public int hashCode() {
        return Objects.hash(argv, repeatable);
    }

    /** The command for people: secrets as {@code xxx}. */
    @Override
    public String toString() {
        List<String> shown = new ArrayList<>(argv.size());
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (secret.get(i)) {
                int eq = a.indexOf('=');
                a = (eq >= 0 && a.startsWith("--") ? a.substring(0, eq + 1) : "") + Secret.MASK;
            }
            shown.add(quote(a));
        }
        return String.join(" ", shown);
    }

    /** Builds a command argument by argument. */
    public static final class Builder {
        private final List<String> argv = new ArrayList<>();
        private final BitSet secret = new BitSet();

        private Builder(String program) {
            argv.add(Objects.requireNonNull(program));
        }

        public Builder arg(String arg) {
            argv.add(Objects.requireNonNull(arg));
            return this;
        }

        public Builder args(String... args) {
            for (String a : args) {
                arg(a);
            }
            return this;
        }

        public Builder args(List<String> args) {
            args.forEach(this::arg);
            return this;
        }

        /** {@code --name=value} for an option MHA's scripts expect in this form. */
        public Builder option(String name, String value) {
            return arg("--" + name + "=" + value);
        }

        /** {@code --name=secret}, shown as {@code --name=xxx}. */
        public Builder secretOption(String name, Secret value) {
            secret.set(argv.size());
            return arg("--" + name + "=" + value.reveal());
        }

        public RemoteCommand build() {
            return new RemoteCommand(argv, secret, false);
        }
    }
}
