package io.mha4j.remote;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link RemoteShell} whose host is this machine ({@link LocalShell} does the work), keeping
 * every command it was given. With {@code streams}, commands with streams are streamed as an SSH
 * shell does; without, they take {@link RemoteShell}'s default way through temporary files.
 */
public final class RecordingShell implements RemoteShell {
    /** The commands run, in order. */
    public final List<RemoteCommand> commands = new CopyOnWriteArrayList<>();

    private final String name;
    private final boolean streams;

    public RecordingShell(String name, boolean streams) {
        this.name = name;
        this.streams = streams;
    }

    @Override
    public String target() {
        return name;
    }

    @Override
    public CommandResult run(RemoteCommand command, Duration timeout) {
        commands.add(command);
        return LocalShell.INSTANCE.run(command, timeout);
    }

    @Override
    public CommandResult run(RemoteCommand command, Duration timeout, InputStream input, OutputStream output) {
        if (!streams) {
            return RemoteShell.super.run(command, timeout, input, output);
        }
        commands.add(command);
        return LocalShell.INSTANCE.run(command, timeout, input, output);
    }

    @Override
    public InputStream read(String path, long offset) {
        return LocalShell.INSTANCE.read(path, offset);
    }

    @Override
    public void write(String path, InputStream content) {
        LocalShell.INSTANCE.write(path, content);
    }

    @Override
    public Optional<RemoteFile> stat(String path) {
        return LocalShell.INSTANCE.stat(path);
    }

    @Override
    public void close() {}
}
