package io.mha4j.datasource;

import io.mha4j.config.ServerConfig;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A pool that connects nowhere: counts what it handed out, evictions and whether it was closed. */
final class FakeServerPool implements ServerPool {
    private final ServerConfig server;
    private final AtomicInteger handedOut = new AtomicInteger();
    private final AtomicInteger evictions = new AtomicInteger();
    private volatile boolean closed;
    private volatile boolean refusing;
    private volatile boolean hanging;
    private final AtomicInteger waiting = new AtomicInteger();
    /** Run first in each getConnection(), on the borrowing thread. */
    private volatile Runnable onBorrow = () -> {};

    FakeServerPool(ServerConfig server) {
        this.server = server;
    }

    @Override
    public ServerConfig server() {
        return server;
    }

    @Override
    public Connection getConnection() throws SQLException {
        onBorrow.run();
        if (closed) {
            throw new SQLNonTransientConnectionException("pool of " + server.block() + " is closed");
        }
        if (refusing) {
            throw new SQLNonTransientConnectionException("Connection refused by " + server.block());
        }
        if (hanging) {
            // as HikariCP waits for a connection to a dead server: until its timeout, or an interrupt
            waiting.incrementAndGet();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException(server.block() + " - Interrupted during connection acquisition", e);
            } finally {
                waiting.decrementAndGet();
            }
        }
        handedOut.incrementAndGet();
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("toString")) {
                        return "connection to " + server.block();
                    }
                    if (method.getName().equals("close")) {
                        return null; // what the writer does with a connection it took from a replaced master
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Override
    public void evict() {
        evictions.incrementAndGet();
    }

    @Override
    public void close() {
        closed = true;
    }

    void onBorrow(Runnable hook) {
        this.onBorrow = hook;
    }

    void refuse() {
        refusing = true;
    }

    /** Its getConnection() waits until interrupted, as HikariCP's does for a dead server. */
    void hang() {
        hanging = true;
    }

    int waiting() {
        return waiting.get();
    }

    int handedOut() {
        return handedOut.get();
    }

    int evictions() {
        return evictions.get();
    }

    boolean isClosed() {
        return closed;
    }
}
