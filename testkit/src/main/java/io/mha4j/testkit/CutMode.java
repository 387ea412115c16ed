package io.mha4j.testkit;

/** How a {@link TcpProxy} fails the connection it stands for. */
public enum CutMode {
    /**
     * A crashed host or closed port: live connections are reset and new connects are refused,
     * so clients fail at once.
     */
    REFUSE,
    /**
     * A network partition: connects are still accepted and live connections stay open, but no
     * byte passes in either direction, so clients fail only by their own timeouts. Nothing is
     * dropped: bytes wait in the socket buffers and flow on after {@link TcpProxy#restore()}.
     */
    BLACKHOLE
}
