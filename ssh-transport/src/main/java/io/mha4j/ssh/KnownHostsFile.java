package io.mha4j.ssh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts.KnownHostEntry;

/**
 * One OpenSSH known_hosts file as it is now: what it holds for a host, what a presented key
 * means ({@link HostKeyVerdict}), and appending a key as OpenSSH's {@code accept-new} does.
 * sshj parses the lines (plain, hashed {@code |1|}, patterns, markers); the verdict is ours,
 * because sshj only answers yes or no and cannot tell an unknown host from a changed key.
 */
final class KnownHostsFile {

    private static final String REVOKED_MARKER = "@revoked";
    private static final String CA_MARKER = "@cert-authority";

    private final Path file;
    private final List<KnownHostEntry> entries;

    private KnownHostsFile(Path file, List<KnownHostEntry> entries) {
        this.file = file;
        this.entries = List.copyOf(entries);
    }

    /** Reads {@code file}; a missing file holds no keys. Lines sshj cannot parse are skipped, as OpenSSH does. */
    static KnownHostsFile read(Path file) throws IOException {
        return new KnownHostsFile(file, new OpenSSHKnownHosts(file.toFile()).entries());
    }

    Path path() {
        return file;
    }

    /**
     * The verdict on {@code key} presented by {@code host:port}. A host with lines for other key
     * types only counts as changed: the client prefers the types it knows (see
     * {@link #algorithms}), so a server that presents another type no longer has the key
     * known_hosts recorded.
     */
    HostKeyVerdict classify(String host, int port, PublicKey key) throws IOException {
        String name = hostPattern(host, port);
        boolean hostListed = false;
        boolean matched = false;
        for (KnownHostEntry e : entries) {
            if (!e.appliesTo(name)) {
                continue;
            }
            String line = e.getLine().stripLeading();
            if (line.startsWith(REVOKED_MARKER)) {
                if (sameKey(line, key)) {
                    return HostKeyVerdict.REVOKED;
                }
                continue;
            }
            hostListed |= !line.startsWith(CA_MARKER);
            matched |= e.verify(key);
        }
        if (matched) {
            return HostKeyVerdict.KNOWN;
        }
        return hostListed ? HostKeyVerdict.CHANGED : HostKeyVerdict.UNKNOWN;
    }

    /**
     * The host key algorithms known_hosts holds for the host, for the client to prefer. An RSA
     * line ({@code ssh-rsa}) also stands for {@code rsa-sha2-512} and {@code rsa-sha2-256}: the
     * same key signed with SHA-2, which is all OpenSSH 8.8 and later offer. Without them sshj
     * 0.40.0 prefers the disabled {@code ssh-rsa}, is sent the ed25519 key instead and fails.
     */
    List<String> algorithms(String host, int port) throws IOException {
        String name = hostPattern(host, port);
        List<String> algorithms = new ArrayList<>();
        for (KnownHostEntry e : entries) {
            if (!e.appliesTo(name) || e.getLine().stripLeading().startsWith(REVOKED_MARKER)) {
                continue;
            }
            String type = e.getType().toString();
            if (e.getType() == KeyType.RSA) {
                algorithms.add("rsa-sha2-512");
                algorithms.add("rsa-sha2-256");
            }
            algorithms.add(type);
        }
        return algorithms;
    }

    /**
     * Appends a line for {@code key} of {@code host:port}, creating the file (and its directory)
     * if needed. Locked, so that concurrent appends by this JVM's shells or by an OpenSSH client
     * do not interleave.
     */
    void append(String host, int port, PublicKey key) throws IOException {
        String line = hostPattern(host, port) + " " + KeyType.fromKey(key) + " " + blob(key) + "\n";
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        synchronized (KnownHostsFile.class) {
            try (FileChannel ch = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                FileLock lock = ch.lock();
                try {
                    long size = ch.size();
                    ByteBuffer last = ByteBuffer.allocate(1);
                    boolean needsNewline = size > 0 && ch.read(last, size - 1) == 1 && last.get(0) != '\n';
                    byte[] text = ((needsNewline ? "\n" : "") + line).getBytes(StandardCharsets.UTF_8);
                    ch.write(ByteBuffer.wrap(text), size);
                } finally {
                    lock.release();
                }
            }
        }
    }

    /** How known_hosts names a host: {@code host}, or {@code [host]:port} off port 22 (lower case, as OpenSSH). */
    static String hostPattern(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        return port == 22 ? h : "[" + h + "]:" + port;
    }

    /** {@code SHA256:...}, as {@code ssh-keygen -l} and sshd's log print it. */
    static String fingerprint(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Base64.getDecoder().decode(blob(key)));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String blob(PublicKey key) {
        return Base64.getEncoder()
                .encodeToString(new Buffer.PlainBuffer().putPublicKey(key).getCompactData());
    }

    /** Whether a known_hosts line holds {@code key}: its key field equals the key's blob. */
    private static boolean sameKey(String line, PublicKey key) {
        String[] fields = line.split("\\s+");
        // "@revoked hosts type blob [comment]"
        return fields.length >= 4 && fields[3].equals(blob(key));
    }
}
