package io.mha4j.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** One client connection through a {@link TcpProxy}: two sockets and a thread per direction. */
final class ProxiedConnection {

    private final TcpProxy proxy;
    private final Socket client;
    private final Socket upstream;

    ProxiedConnection(TcpProxy proxy, Socket client, Socket upstream) {
        this.proxy = proxy;
        this.client = client;
        this.upstream = upstream;
    }

    void start(String threadPrefix) {
        startPump(client, upstream, threadPrefix + "-up");
        startPump(upstream, client, threadPrefix + "-down");
    }

    private void startPump(Socket from, Socket to, String name) {
        Thread pump = new Thread(() -> pump(from, to), name);
        pump.setDaemon(true);
        pump.start();
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                // Bytes read during a blackhole are held, not dropped: the stream stays intact.
                if (!proxy.awaitPassable()) {
                    break;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // The peer went away or the proxy reset the connection: either way it is over.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            reset();
        }
    }

    /** Closes both sides at once with RST (linger 0), so the client fails immediately. */
    void reset() {
        for (Socket socket : new Socket[] {client, upstream}) {
            try {
                socket.setSoLinger(true, 0);
            } catch (IOException ignored) {
                // Already closed.
            }
            TcpProxy.closeQuietly(socket);
        }
        proxy.forget(this);
    }
}
