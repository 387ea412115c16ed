package io.mha4j.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real OpenSSH server ({@code sshd} from Debian's {@code openssh-server}) on 127.0.0.1, for
 * tests of code that reaches database hosts over SSH: the same host key negotiation,
 * authentication, exec and SFTP that production hosts run, not an imitation of them.
 *
 * <pre>{@code
 * try (OpenSshServer ssh = OpenSshServer.builder().start()) {
 *     // log in as ssh.user() at ssh.host():ssh.port() with ssh.clientKey(),
 *     // verifying the host against ssh.knownHostsFile()
 * }
 * }</pre>
 *
 * <p>Logins are as the OS user running the JVM (sshd runs as that user too; as root it also
 * allows root, by key only). Sessions get an empty HOME of their own unless
 * {@link Builder#userHome(boolean)} says otherwise, so the user's dotfiles do not run.
 * {@link Builder#loginShell(LoginShell)} makes the user's shell start lean or slow (one second per
 * command), to time code against either kind of host; {@link Builder#environment(String, String)}
 * sets a variable in every session, as a host's {@code /etc/environment} would.
 *
 * <p>Each server has its own host keys (ed25519 and RSA), its own client key pair and
 * {@code authorized_keys}, and a {@code known_hosts} listing every host key as
 * {@code [127.0.0.1]:port}. All of it lives in one directory {@code sshd-<pid>-<n>} under
 * the base directory; {@link #close()} kills the server and deletes it, a JVM shutdown hook
 * closes servers left open, and a SIGKILLed JVM's servers are reaped by the next
 * {@link Builder#start()}, as sandbox clusters are.
 *
 * <p>Requirements: Linux, {@code /usr/sbin/sshd} and {@code /usr/lib/openssh/sftp-server}
 * ({@code apt-get install openssh-server}), {@code ssh-keygen} on the PATH
 * ({@code openssh-client}). sshd needs its privilege separation directory {@code /run/sshd};
 * the builder creates it when it can (as root).
 */
public final class OpenSshServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpenSshServer.class);
    private static final String LOOPBACK = "127.0.0.1";
    private static final String DIRECTORY_PREFIX = "sshd-";
    private static final int PORT_ATTEMPTS = 5;

    private final SshdDirectory files;
    private final Path sshd;
    private final Path sftpServer;
    private final Duration startupTimeout;
    private final boolean userHome;
    private final LoginShell loginShell;
    private final Map<String, String> environment;
    private final String host;
    private final List<String> launchPrefix;
    private final int fixedPort;
    private final String user = System.getProperty("user.name");
    private final AtomicBoolean closed = new AtomicBoolean();
    private SshdProcess process;
    private volatile int port;

    private OpenSshServer(SshdDirectory files, Builder b) {
        this.files = files;
        this.host = b.host;
        this.launchPrefix = List.copyOf(b.launchPrefix);
        this.fixedPort = b.port;
        this.sshd = b.sshd;
        this.sftpServer = b.sftpServer;
        this.startupTimeout = b.startupTimeout;
        this.userHome = b.userHome;
        this.loginShell = b.loginShell;
        this.environment = Map.copyOf(b.environment);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The one address the server listens on: 127.0.0.1 unless {@link Builder#listen} said otherwise. */
    public String host() {
        return host;
    }

    /** The port, chosen at the first start and kept across {@link #stop()}/{@link #start()}. */
    public int port() {
        return port;
    }

    /** The login: the OS user running this JVM. */
    public String user() {
        return user;
    }

    /** How the user's shell starts in this server's sessions. */
    public LoginShell loginShell() {
        return loginShell;
    }

    /** The private key (ed25519, no passphrase) that {@code authorized_keys} admits. */
    public Path clientKey() {
        return files.clientKey().privateKey();
    }

    /**
     * A known_hosts file with a {@code [127.0.0.1]:port} line for every host key the server has
     * now; {@link #rotateHostKeys()} rewrites it, so copy it first to keep the old keys.
     */
    public Path knownHostsFile() {
        return files.knownHosts();
    }

    /** The {@code SHA256:...} fingerprint of every host key, by algorithm (e.g. {@code ssh-ed25519}). */
    public Map<String, String> hostKeyFingerprints() {
        return files.hostKeyFingerprints();
    }

    /** The server's own directory (deleted by {@link #close()}). */
    public Path directory() {
        return files.dir();
    }

    /** sshd's log (LogLevel VERBOSE): one "Accepted publickey" line per login, for example. */
    public Path logFile() {
        return files.log();
    }

    /** Successful logins since the server was built, counted in its log: one per SSH connection. */
    public long acceptedLogins() {
        try (Stream<String> lines = Files.lines(files.log(), StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains("Accepted publickey for ")).count();
        } catch (IOException e) {
            throw new SandboxException("Cannot read " + files.log(), e);
        }
    }

    /**
     * The pid of the listening sshd.
     *
     * @throws SandboxException if it is not running
     */
    public synchronized long pid() {
        if (!isRunning()) {
            throw new SandboxException(this + " is not running");
        }
        return process.pid();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Makes exactly these public key files ({@code .pub}) the keys that may log in, from the next login on. */
    public void authorizedKeys(List<Path> publicKeys) {
        files.authorize(publicKeys);
        log.info("{}: authorized keys now {}", this, publicKeys);
    }

    /** Refuses every key, {@link #clientKey()} included, from the next login on. */
    public void revokeClientKey() {
        authorizedKeys(List.of());
    }

    /**
     * Kills sshd and every session it serves, as a crashed host would: clients' connections
     * close. Does nothing if it is not running.
     */
    public synchronized void stop() {
        if (!isRunning()) {
            return;
        }
        int sessions = process.kill();
        log.info("{}: stopped ({} session(s) killed)", this, sessions);
    }

    /**
     * Starts sshd again on the same port with the same keys.
     *
     * @throws SandboxException if it runs already, or the port has been taken meanwhile
     */
    public synchronized void start() {
        requireOpen();
        if (isRunning()) {
            throw new SandboxException(this + " is already running (pid " + process.pid() + ")");
        }
        process = SshdProcess.launch(toString(), sshd, files, host, port, launchPrefix, startupTimeout)
                .orElseThrow(() -> new SandboxException(this + ": port " + port + " is now taken by another process"));
    }

    /**
     * Replaces every host key with a new one and restarts the server if it ran: what a
     * reinstalled host, or a man in the middle, looks like to a client. {@link #knownHostsFile()}
     * then lists the new keys.
     */
    public synchronized void rotateHostKeys() {
        requireOpen();
        boolean wasRunning = isRunning();
        stop();
        files.generateHostKeys();
        files.writeKnownHosts(host, port);
        log.info("{}: host keys rotated, now {}", this, files.hostKeyFingerprints());
        if (wasRunning) {
            start();
        }
    }

    /** Kills sshd and its sessions and deletes the server's directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            stop();
        } catch (RuntimeException e) {
            log.warn("{}: cannot stop: {}", this, e.toString());
        }
        try {
            DirectoryTree.delete(files.dir());
        } catch (IOException e) {
            log.warn("Cannot delete {}: {}", files.dir(), e.toString());
        }
        OpenSandboxes.unregister(this);
        log.info("{}: closed", this);
    }

    @Override
    public String toString() {
        return "sshd(" + host + ":" + port + ")";
    }

    private synchronized void firstStart() {
        files.generateHostKeys();
        files.generateClientKey(user);
        files.authorize(List.of(files.clientKey().publicKey()));
        Map<String, String> sessionEnvironment = SessionEnvironment.of(files, environment, userHome, loginShell);
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            port = fixedPort > 0 ? fixedPort : freePort();
            files.writeConfig(host, port, sftpServer, sessionEnvironment);
            files.writeKnownHosts(host, port);
            Optional<SshdProcess> launched =
                    SshdProcess.launch(toString(), sshd, files, host, port, launchPrefix, startupTimeout);
            if (launched.isPresent()) {
                process = launched.get();
                return;
            }
        }
        throw new SandboxException(
                "sshd: every one of " + PORT_ATTEMPTS + " free ports was taken before sshd" + " could bind it");
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new SandboxException(this + " is closed");
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new SandboxException("Cannot find a free port on " + LOOPBACK, e);
        }
    }

    /** Configures and starts an {@link OpenSshServer}. */
    public static final class Builder {

        private Path baseDir = Path.of(System.getProperty("java.io.tmpdir"), "mha4j-sandbox");
        private String host = LOOPBACK;
        private List<String> launchPrefix = List.of();
        private int port;
        private LoginShell loginShell = LoginShell.AS_IS;
        private final Map<String, String> environment = new LinkedHashMap<>();

        /**
         * Listens on {@code address}, started through {@code launchPrefix} (e.g. {@code ip netns
         * exec ns1}) on a fixed {@code port}: an sshd inside a network namespace a test built.
         */
        public Builder listen(String address, int port, List<String> launchPrefix) {
            this.host = Objects.requireNonNull(address);
            this.port = port;
            this.launchPrefix = List.copyOf(launchPrefix);
            return this;
        }

        private Path sshd = Path.of("/usr/sbin/sshd");
        private Path sftpServer = Path.of("/usr/lib/openssh/sftp-server");
        private Duration startupTimeout = Duration.ofSeconds(10);
        private boolean userHome;

        private Builder() {}

        /**
         * Whether sessions get the OS user's HOME, and so run its dotfiles (default false: HOME
         * is an empty directory inside the server's, so a developer's slow {@code .bashrc} does
         * not run before every command). The working directory is the user's home either way.
         */
        public Builder userHome(boolean userHome) {
            this.userHome = userHome;
            return this;
        }

        /**
         * How the user's shell starts in every session (default {@link LoginShell#AS_IS}): lean, or
         * taking one second, so that code reaching hosts over SSH can be timed against either.
         * {@code LEAN} and {@code SLOW} need bash as the user's login shell; {@link #start()} says
         * so otherwise.
         */
        public Builder loginShell(LoginShell loginShell) {
            this.loginShell = Objects.requireNonNull(loginShell, "loginShell");
            return this;
        }

        /**
         * Sets {@code name=value} in every session (sshd's {@code SetEnv}, which overrides what sshd
         * sets itself, PATH included), e.g. a {@code PERL5LIB} for tools the sessions run. HOME,
         * SHLVL and BASH_ENV are the server's own ({@link #userHome}, {@link #loginShell}).
         *
         * @throws IllegalArgumentException for a name that is no shell variable name or is one of
         *     those three, or a value holding a double quote or a line break
         */
        public Builder environment(String name, String value) {
            SessionEnvironment.check(name, value);
            environment.put(name, value);
            return this;
        }

        /**
         * The root holding one directory per server; stale servers under it are reaped
         * (default {@code ${java.io.tmpdir}/mha4j-sandbox}, shared with sandbox clusters).
         */
        public Builder baseDir(Path baseDir) {
            this.baseDir = Objects.requireNonNull(baseDir, "baseDir").toAbsolutePath();
            return this;
        }

        /** The sshd binary (default {@code /usr/sbin/sshd}); an absolute path, since sshd re-executes itself. */
        public Builder sshd(Path sshd) {
            this.sshd = Objects.requireNonNull(sshd, "sshd").toAbsolutePath();
            return this;
        }

        /** The SFTP server the {@code sftp} subsystem runs (default {@code /usr/lib/openssh/sftp-server}). */
        public Builder sftpServer(Path sftpServer) {
            this.sftpServer = Objects.requireNonNull(sftpServer, "sftpServer").toAbsolutePath();
            return this;
        }

        /** How long sshd may take to greet (default 10 s). */
        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
            return this;
        }

        /**
         * Generates the keys, writes the configuration and starts sshd on a free port.
         *
         * @throws SandboxException if sshd is missing or does not come up; whatever was made is
         *     then removed
         */
        public OpenSshServer start() {
            requireExecutable(sshd);
            requireExecutable(sftpServer);
            SessionEnvironment.requireBashFor(loginShell, System.getProperty("user.name"));
            SshdProcess.ensurePrivilegeSeparationDirectory();
            Path dir;
            try {
                Files.createDirectories(baseDir);
                StaleSandboxReaper.reap(baseDir, List.of(DIRECTORY_PREFIX), SshdProcess::isServerOf);
                dir = Owner.createOwnedDirectory(baseDir, DIRECTORY_PREFIX);
            } catch (IOException e) {
                throw new SandboxException("Cannot create an sshd directory in " + baseDir, e);
            }
            OpenSshServer server = new OpenSshServer(new SshdDirectory(dir), this);
            OpenSandboxes.register(server);
            try {
                server.firstStart();
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        }

        private static void requireExecutable(Path binary) {
            if (!Files.isExecutable(binary)) {
                throw new SandboxException(binary + " is missing: install Debian's openssh-server and openssh-client"
                        + " (apt-get install openssh-server openssh-client)");
            }
        }
    }
}
