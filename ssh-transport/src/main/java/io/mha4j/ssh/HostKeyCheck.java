package io.mha4j.ssh;

import io.mha4j.remote.HostKeyPolicy;
import io.mha4j.remote.SshTarget;
import java.io.IOException;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host key check of one connection attempt: applies the target's {@link HostKeyPolicy} to
 * what known_hosts says, records a new host's key under accept-new, and remembers what it saw.
 * sshj reports any refusal as one "could not verify" error; what was seen here tells the
 * operator whether to add a key (unknown host) or to investigate (changed key).
 */
final class HostKeyCheck implements HostKeyVerifier {

    /** What the host presented and what known_hosts made of it. */
    record Seen(HostKeyVerdict verdict, String algorithm, String fingerprint, Optional<String> recordFailure) {}

    private static final Logger log = LoggerFactory.getLogger(HostKeyCheck.class);

    private final SshTarget target;
    private final KnownHostsFile knownHosts;
    private volatile Seen seen;

    private HostKeyCheck(SshTarget target, KnownHostsFile knownHosts) {
        this.target = target;
        this.knownHosts = knownHosts;
    }

    /**
     * Reads the target's known_hosts now, once per connection attempt, so an edited file counts
     * at the next connect.
     *
     * @throws IOException if the file exists but cannot be read
     */
    static HostKeyCheck of(SshTarget target) throws IOException {
        return new HostKeyCheck(target, KnownHostsFile.read(target.knownHostsFile()));
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        if (target.hostKeyPolicy() == HostKeyPolicy.OFF) {
            log.debug("{}: host key not verified (host key checking is off)", target.name());
            return true;
        }
        HostKeyVerdict verdict;
        try {
            verdict = knownHosts.classify(hostname, port, key);
        } catch (IOException e) {
            log.warn("{}: cannot match the host key against {}: {}", target.name(), knownHosts.path(), e.toString());
            return false;
        }
        String algorithm = KeyType.fromKey(key).toString();
        String fingerprint = KnownHostsFile.fingerprint(key);
        seen = new Seen(verdict, algorithm, fingerprint, Optional.empty());
        if (verdict == HostKeyVerdict.UNKNOWN && target.hostKeyPolicy() == HostKeyPolicy.ACCEPT_NEW) {
            return acceptNew(hostname, port, key, algorithm, fingerprint);
        }
        if (verdict != HostKeyVerdict.KNOWN) {
            log.warn(
                    "{}: host key {} {} refused: {} in {}",
                    target.name(),
                    algorithm,
                    fingerprint,
                    verdict,
                    knownHosts.path());
        }
        return verdict == HostKeyVerdict.KNOWN;
    }

    private boolean acceptNew(String hostname, int port, PublicKey key, String algorithm, String fingerprint) {
        try {
            knownHosts.append(hostname, port, key);
        } catch (IOException e) {
            seen = new Seen(HostKeyVerdict.UNKNOWN, algorithm, fingerprint, Optional.of(e.toString()));
            log.warn("{}: cannot record new host key in {}: {}", target.name(), knownHosts.path(), e.toString());
            return false;
        }
        log.info(
                "{}: new host key {} {} accepted and recorded in {} (accept-new)",
                target.name(),
                algorithm,
                fingerprint,
                knownHosts.path());
        return true;
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        if (target.hostKeyPolicy() == HostKeyPolicy.OFF) {
            return List.of();
        }
        try {
            return knownHosts.algorithms(hostname, port);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** What the host presented, once key exchange got that far. */
    Optional<Seen> seen() {
        return Optional.ofNullable(seen);
    }
}
