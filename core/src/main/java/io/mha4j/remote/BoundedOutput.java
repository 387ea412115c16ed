package io.mha4j.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Drains a process stream on its own thread, keeping at most {@link #LIMIT} bytes: a command
 * that prints a gigabyte must neither block on a full pipe nor fill the heap.
 */
public final class BoundedOutput {
    /** Output kept per stream; what is beyond is dropped and the text says so. */
    public static final int LIMIT = 1 << 20;

    private final CompletableFuture<String> text;

    private BoundedOutput(InputStream in, String name) {
        this.text = new CompletableFuture<>();
        Thread t = new Thread(() -> text.complete(drain(in)), name);
        t.setDaemon(true);
        t.start();
    }

    public static BoundedOutput drain(InputStream in, String threadName) {
        return new BoundedOutput(in, threadName);
    }

    /** Reads {@code in} to its end on the calling thread, keeping what {@link #LIMIT} allows; closes it. */
    public static String readAll(InputStream in) {
        return drain(in);
    }

    /** The text read, once the stream has ended. */
    public String join() {
        return text.join();
    }

    private static String drain(InputStream in) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long dropped = 0;
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                int room = LIMIT - kept.size();
                kept.write(buf, 0, Math.min(room, n));
                dropped += Math.max(0, n - room);
            }
        } catch (IOException e) {
            // The process died or the channel closed: what was read is what there is.
        }
        String s = kept.toString(StandardCharsets.UTF_8);
        return dropped > 0 ? s + "\n[… " + dropped + " more bytes not kept]" : s;
    }
}
