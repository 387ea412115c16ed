package io.mha4j.internal.guard;

import io.mha4j.config.ServerConfig;
import io.mha4j.gtid.GtidSet;
import io.mha4j.guard.GuardedRole;
import io.mha4j.internal.check.FakeServer;
import io.mha4j.server.ServerState;
import io.mha4j.server.SqlFailure;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Scripted servers for the guard: each is refused, times out, or answers with a {@link FakeServer} state. */
final class FakeAccess implements ServerAccess {

    enum Mode {
        REFUSED,
        TIMEOUT,
        UP
    }

    /** One scripted server and what was done to it. */
    static final class Fake {
        volatile Mode mode = Mode.REFUSED;
        volatile FakeServer state;
        volatile RuntimeException fenceFailure;
        volatile Consumer<Fake> onRejoin = f -> {};
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<GuardedRole> rejoins = new CopyOnWriteArrayList<>();
        final List<Path> saved = new CopyOnWriteArrayList<>();

        long count(String call) {
            return calls.stream().filter(call::equals).count();
        }
    }

    private final Clock clock;
    private final Map<String, Fake> servers = new ConcurrentHashMap<>();
    volatile FakeServer master = FakeServer.master(2);
    volatile boolean masterReadable = true;

    FakeAccess(Clock clock) {
        this.clock = clock;
    }

    Fake server(ServerConfig s) {
        return servers.computeIfAbsent(s.block(), b -> new Fake());
    }

    @Override
    public Link open(ServerConfig server) {
        Fake f = server(server);
        f.calls.add("open");
        switch (f.mode) {
            case REFUSED -> throw failure(server, SqlFailure.Kind.CONNECTION_REFUSED);
            case TIMEOUT -> throw failure(server, SqlFailure.Kind.TIMEOUT);
            default -> {
                return new FakeLink(server, f);
            }
        }
    }

    private static SqlFailure failure(ServerConfig s, SqlFailure.Kind kind) {
        return new SqlFailure(s.displayName(), null, kind, 0, "", kind.name(), null);
    }

    @Override
    public ServerState readMaster(ServerConfig m) {
        if (!masterReadable) {
            throw failure(m, SqlFailure.Kind.TIMEOUT);
        }
        return master.state();
    }

    private final class FakeLink implements Link {
        private final ServerConfig server;
        private final Fake f;
        private boolean closed;

        FakeLink(ServerConfig server, Fake f) {
            this.server = server;
            this.f = f;
        }

        private void live() {
            if (closed || f.mode != Mode.UP) {
                throw failure(server, SqlFailure.Kind.CONNECTION_LOST);
            }
        }

        @Override
        public ServerState read() {
            live();
            return f.state.state();
        }

        @Override
        public void hold(java.time.Duration max) {
            live();
        }

        @Override
        public Fence.Result fence() {
            live();
            f.calls.add("fence");
            if (f.fenceFailure != null) {
                throw f.fenceFailure;
            }
            f.state.readOnly = true;
            return new Fence.Result(List.of("read_only=ON", "killed 2 application session(s)"), clock.instant(), 2);
        }

        @Override
        public void rejoin(GuardedRole role, ServerConfig m, ServerState state) {
            live();
            f.calls.add("rejoin");
            f.rejoins.add(role);
            f.onRejoin.accept(f);
        }

        @Override
        public String rejoinStatement(ServerConfig m, ServerState state) {
            return "CHANGE MASTER TO MASTER_HOST='" + m.address() + "', MASTER_PORT=" + m.port()
                    + ", MASTER_PASSWORD='xxx'; START SLAVE;";
        }

        @Override
        public void saveTransactions(GtidSet have, Path file) {
            live();
            f.calls.add("save");
            f.saved.add(file);
        }

        @Override
        public void close() {
            closed = true;
            f.calls.add("close");
        }
    }
}
