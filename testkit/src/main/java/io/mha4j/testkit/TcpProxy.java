package io.mha4j.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP forwarder on 127.0.0.1 that a test can cut and restore, so one client (say, the
 * failover manager) loses a server while others (the replicas) still reach it directly.
 *
 * <p>Listens on an ephemeral port chosen at construction and kept for its life: after
 * {@link #restore()} clients reconnect to the same {@link #endpoint()}. Each connection uses
 * two daemon threads named {@code mha4j-proxy-<port>-<n>-up/down}.
 */
public final class TcpProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final InetSocketAddress target;
    private final InetAddress loopback;
    private final int port;
    private final Set<ProxiedConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionNumbers = new AtomicInteger();
    private final Object gate = new Object();
    private volatile ServerSocket server;
    private volatile CutMode cut;
    private volatile boolean closed;

    /** Starts forwarding from a new 127.0.0.1 port to {@code targetHost:targetPort}. */
    public TcpProxy(String targetHost, int targetPort) {
        this.target = new InetSocketAddress(targetHost, targetPort);
        try {
            this.loopback = InetAddress.getByName("127.0.0.1");
            this.server = listen(0);
        } catch (IOException e) {
            throw new SandboxException("Cannot listen on 127.0.0.1 for a proxy to " + target, e);
        }
        this.port = server.getLocalPort();
        startAccepting(server);
        log.info("Proxy 127.0.0.1:{} -> {} forwarding", port, targetHost + ":" + targetPort);
    }

    /** Starts forwarding from a new 127.0.0.1 port to {@code target}. */
    public TcpProxy(Endpoint target) {
        this(target.host(), target.port());
    }

    /** Where clients connect to reach the target through this proxy. */
    public Endpoint endpoint() {
        return new Endpoint("127.0.0.1", port);
    }

    public int port() {
        return port;
    }

    /** Connections currently open through the proxy. */
    public int connectionCount() {
        return connections.size();
    }

    /** Fails the link as {@code mode} describes until {@link #restore()}. */
    public synchronized void cut(CutMode mode) {
        requireOpen();
        if (cut != null) {
            restore();
        }
        cut = mode;
        if (mode == CutMode.REFUSE) {
            closeQuietly(server);
            List.copyOf(connections).forEach(ProxiedConnection::reset);
        }
        log.info("Proxy 127.0.0.1:{} -> {} cut ({})", port, target, mode);
    }

    /** Forwards again: after REFUSE, listens again on the same port; after BLACKHOLE, lets held bytes flow. */
    public synchronized void restore() {
        requireOpen();
        if (cut == CutMode.REFUSE) {
            try {
                server = listen(port);
            } catch (IOException e) {
                throw new SandboxException("Cannot listen again on 127.0.0.1:" + port + " for " + target, e);
            }
            startAccepting(server);
        }
        synchronized (gate) {
            cut = null;
            gate.notifyAll();
        }
        log.info("Proxy 127.0.0.1:{} -> {} restored", port, target);
    }

    /** Stops listening and closes every connection. Idempotent. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        List.copyOf(connections).forEach(ProxiedConnection::reset);
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    /**
     * Blocks the calling forwarding thread while the proxy is black-holed.
     *
     * @return false if the proxy was closed meanwhile
     */
    boolean awaitPassable() throws InterruptedException {
        synchronized (gate) {
            while (cut == CutMode.BLACKHOLE && !closed) {
                gate.wait();
            }
        }
        return !closed;
    }

    void forget(ProxiedConnection connection) {
        connections.remove(connection);
    }

    private ServerSocket listen(int localPort) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(loopback, localPort), 50);
        return socket;
    }

    private void startAccepting(ServerSocket listening) {
        Thread acceptor = new Thread(() -> accept(listening), "mha4j-proxy-" + port + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                String name = "mha4j-proxy-" + port + "-" + connectionNumbers.incrementAndGet();
                Thread opener = new Thread(() -> open(client, name), name + "-open");
                opener.setDaemon(true);
                opener.start();
            } catch (SocketException closedOrCut) {
                return;
            } catch (IOException e) {
                log.warn("Proxy 127.0.0.1:{}: accept failed: {}", port, e.toString());
            }
        }
    }

    /** Connects upstream once the link is passable (a connect during a blackhole just hangs). */
    private void open(Socket client, String name) {
        try {
            if (!awaitPassable()) {
                closeQuietly(client);
                return;
            }
            Socket upstream = new Socket();
            upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
            ProxiedConnection connection = new ProxiedConnection(this, client, upstream);
            connections.add(connection);
            if (closed || cut == CutMode.REFUSE) {
                connection.reset();
                return;
            }
            connection.start(name);
        } catch (IOException e) {
            log.debug("Proxy 127.0.0.1:{}: cannot reach {}: {}", port, target, e.toString());
            closeQuietly(client);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(client);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new SandboxException("Proxy 127.0.0.1:" + port + " -> " + target + " is closed");
        }
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Closing is best effort: the socket is being abandoned either way.
        }
    }

    @Override
    public String toString() {
        return "TcpProxy[127.0.0.1:" + port + " -> " + target + (cut == null ? "" : ", cut " + cut) + "]";
    }
}
