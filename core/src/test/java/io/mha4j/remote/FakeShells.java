package io.mha4j.remote;

import io.mha4j.config.ServerConfig;
import io.mha4j.spi.RemoteShellProvider;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A {@link RemoteShellProvider} whose shells run nothing: each records that it was opened and
 * closed, and prepares as the test says. For tests of who opens, prepares and closes shells.
 */
public final class FakeShells implements RemoteShellProvider {
    /** Every shell opened, in order. */
    public final List<Shell> opened = new CopyOnWriteArrayList<>();

    private final Function<Duration, String> prepare;

    /** @param prepare what each shell's {@link RemoteShell#prepare} does */
    public FakeShells(Function<Duration, String> prepare) {
        this.prepare = prepare;
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public RemoteShell create(ServerConfig host) {
        SshTarget target = SshTarget.of(host);
        Shell shell = new Shell(target);
        opened.add(shell);
        return shell;
    }

    /** A shell that only remembers whether it was closed. */
    public final class Shell implements RemoteShell {
        private final SshTarget target;
        private volatile boolean closed;

        private Shell(SshTarget target) {
            this.target = target;
        }

        public boolean closed() {
            return closed;
        }

        @Override
        public String target() {
            return target.name();
        }

        @Override
        public String prepare(Duration timeout) {
            return prepare.apply(timeout);
        }

        @Override
        public CommandResult run(RemoteCommand command, Duration timeout) {
            throw new UnsupportedOperationException("runs nothing");
        }

        @Override
        public InputStream read(String path, long offset) {
            throw new UnsupportedOperationException("reads nothing");
        }

        @Override
        public void write(String path, InputStream content) {
            throw new UnsupportedOperationException("writes nothing");
        }

        @Override
        public Optional<RemoteFile> stat(String path) {
            return Optional.empty();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
