package io.mha4j.ssh;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import net.schmizz.sshj.sftp.RemoteFile;

/**
 * A remote file streamed from an offset with a bounded read-ahead: at most
 * {@value #READS_IN_FLIGHT} requests of {@value #CHUNK} bytes are in flight, so memory stays
 * near half a megabyte however large the file (a binary log can be gigabytes). Closing the
 * stream closes the remote file handle.
 */
final class SftpInputStream extends FilterInputStream {

    static final int CHUNK = 32 * 1024;
    static final int READS_IN_FLIGHT = 16;

    private final RemoteFile file;
    private boolean closed;

    SftpInputStream(RemoteFile file, long offset) {
        // sshj sizes each request by the buffer it is asked to fill: the buffer makes small reads
        // (transferTo's 8 KiB) whole chunks, the cap below keeps large ones from being huge requests.
        super(new BufferedInputStream(file.new ReadAheadRemoteFileInputStream(READS_IN_FLIGHT, offset), CHUNK));
        this.file = file;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, CHUNK));
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            super.close();
        } finally {
            file.close();
        }
    }
}
