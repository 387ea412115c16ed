package io.mha4j.coordination.zookeeper;

import io.mha4j.Mha4jException;
import io.mha4j.coordination.Coordination;
import io.mha4j.coordination.CoordinationException;
import io.mha4j.coordination.FailoverRecord;
import io.mha4j.coordination.ManagerView;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One manager's part in its application's election: Curator's {@link LeaderLatch} on {@code
 * <root>/<application>/leader}. Curator's default error policy takes the lead away as soon as the
 * connection is suspended (not only when the session expires), so a manager cut off from the
 * ensemble stops acting before another can lead.
 *
 * <p>The shared state ({@link Znodes}): each manager's view in an ephemeral node (gone with its
 * session), read through a {@link CuratorCache} so that nobody waits on ZooKeeper to read them; the
 * failover record written in a transaction that also checks this manager's own node in the election
 * — a manager whose session expired cannot write it, whatever it believes.
 */
final class ZooKeeperCoordination implements Coordination {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperCoordination.class);
    /** {@link #recordVersion} before this manager read the record. */
    private static final int UNREAD = -2;
    /** {@link #recordVersion} when there is no record yet. */
    private static final int NO_RECORD = -1;
    /** Seconds a tool (an acknowledgement, a reader of the record) waits for ZooKeeper. */
    private static final int TOOL_PATIENCE = 10;

    private final String application;
    private final String id;
    private final CuratorFramework client;
    private final Znodes znodes;
    private final LeaderLatch latch;
    private final CuratorCache views;
    /** One record of the lead, with the futures that announce its changes (Curator's own flag may run ahead). */
    private boolean leader;

    private CompletableFuture<Void> leading = new CompletableFuture<>();
    /**
     * The failover record's version as this manager last read or wrote it: what its next write must
     * find. Guarded by {@link #recordLock}, not {@code this}: a write may wait on ZooKeeper, and the
     * lead's changes (on Curator's thread) must not wait for it.
     */
    private int recordVersion = UNREAD;

    private final Object recordLock = new Object();

    private CompletableFuture<Void> notLeading = CompletableFuture.completedFuture(null);

    ZooKeeperCoordination(String connect, String root, String application, Duration sessionTimeout) {
        this.application = application;
        // pid@host#random: unique in the JVM too (tests run several managers in one)
        this.id = ManagementFactory.getRuntimeMXBean().getName() + "#"
                + UUID.randomUUID().toString().substring(0, 8);
        int session = (int) sessionTimeout.toMillis();
        this.client = CuratorFrameworkFactory.builder()
                .connectString(connect)
                .sessionTimeoutMs(session)
                .connectionTimeoutMs(Math.min(session, 5_000))
                .retryPolicy(new ExponentialBackoffRetry(200, 10, 2_000))
                // zookeeper_connect is the truth: a manager does not learn other addresses from the ensemble's
                // configuration (it would go around what a user routes, proxies or firewalls)
                .ensembleTracker(false)
                .build();
        this.znodes = new Znodes(root, application);
        this.latch = new LeaderLatch(client, znodes.leader, id);
        this.views = CuratorCache.build(client, znodes.managers);
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                log.info("{}: this manager ({}) leads", application, id);
                CompletableFuture<Void> led;
                synchronized (ZooKeeperCoordination.this) {
                    leader = true;
                    notLeading = new CompletableFuture<>();
                    led = leading;
                }
                // outside the lock: what waits on it (the guard's resume, a standby's wait) must not hold it
                led.complete(null);
            }

            @Override
            public void notLeader() {
                log.warn("{}: this manager ({}) does not lead any more", application, id);
                CompletableFuture<Void> lost;
                synchronized (ZooKeeperCoordination.this) {
                    leader = false;
                    leading = new CompletableFuture<>();
                    lost = notLeading;
                }
                // outside the lock: the guard pauses on it, and nothing may wait for a record write to end
                lost.complete(null);
            }
        });
    }

    @Override
    public void start() {
        startClient();
        try {
            latch.start();
            views.start();
        } catch (Exception e) {
            throw new Mha4jException(application + ": cannot join the managers' election on ZooKeeper: " + e, e);
        }
    }

    private synchronized void startClient() {
        if (client.getState() == CuratorFrameworkState.LATENT) {
            client.start();
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public boolean connected() {
        return client.getZookeeperClient().isConnected();
    }

    @Override
    public void publish(ManagerView view) {
        writeInBackground(
                znodes.manager(id), Znodes.write(view), CreateMode.EPHEMERAL, "publishing this manager's view");
    }

    /**
     * Creates or overwrites {@code path} in the background, and drops the write while not connected:
     * the monitor's thread calls it and never waits on ZooKeeper.
     */
    private void writeInBackground(String path, byte[] data, CreateMode mode, String what) {
        if (!connected()) {
            return;
        }
        try {
            client.create()
                    .orSetData()
                    .creatingParentContainersIfNeeded()
                    .withMode(mode)
                    .inBackground()
                    .forPath(path, data);
        } catch (Exception e) {
            log.debug("{}: {}: {}", application, what, e.toString());
        }
    }

    @Override
    public List<ManagerView> views() {
        if (!connected()) {
            return List.of();
        }
        List<ManagerView> all = new ArrayList<>();
        views.stream()
                .filter(d -> !d.getPath().equals(znodes.managers) && d.getData() != null && d.getData().length > 0)
                .forEach(d -> {
                    try {
                        all.add(Znodes.view(d.getData()));
                    } catch (RuntimeException e) {
                        log.warn("{}: {} holds no manager's view: {}", application, d.getPath(), e.getMessage());
                    }
                });
        return all;
    }

    /**
     * Read from ZooKeeper itself, not a cache: whoever reads it is about to act on it. Empty when a
     * manager is cut off; a tool (a coordination never started: it takes no part in the election)
     * connects and waits for ZooKeeper first.
     */
    @Override
    public Optional<FailoverRecord> lastFailover() {
        if (latch.getState() == LeaderLatch.State.LATENT) {
            connectAsTool("read the failover record");
        }
        if (!connected()) {
            return Optional.empty();
        }
        try {
            Stat stat = new Stat();
            Optional<FailoverRecord> read =
                    Znodes.record(client.getData().storingStatIn(stat).forPath(znodes.failover));
            synchronized (recordLock) {
                recordVersion = stat.getVersion();
            }
            return read;
        } catch (KeeperException.NoNodeException e) {
            synchronized (recordLock) {
                recordVersion = NO_RECORD;
            }
            return Optional.empty();
        } catch (Exception e) {
            throw new CoordinationException(
                    application + ": cannot read the failover record " + znodes.failover + ": " + e, e);
        }
    }

    /**
     * Fenced twice: the transaction checks this manager's own node in the election (a manager whose
     * session expired cannot write, whatever it believes), and writes over the version this manager
     * last read or wrote (a manager that lost the lead in a blip, and leads again, cannot write over
     * what the leader of the meantime wrote, nor over a human's acknowledgement).
     */
    @Override
    public boolean record(FailoverRecord record) {
        synchronized (recordLock) {
            return recordFenced(record);
        }
    }

    private boolean recordFenced(FailoverRecord record) {
        String ours = latch.getOurPath();
        if (!isLeader() || ours == null || !connected() || recordVersion == UNREAD) {
            return false;
        }
        try {
            byte[] data = Znodes.write(record);
            List<CuratorTransactionResult> results = client.transaction()
                    .forOperations(
                            client.transactionOp().check().forPath(ours),
                            recordVersion == NO_RECORD
                                    ? client.transactionOp().create().forPath(znodes.failover, data)
                                    : client.transactionOp()
                                            .setData()
                                            .withVersion(recordVersion)
                                            .forPath(znodes.failover, data));
            Stat written = results.get(1).getResultStat();
            recordVersion = written != null ? written.getVersion() : recordVersion + 1;
            return isLeader();
        } catch (Exception e) {
            // the version is not known any more: the next writer reads first
            recordVersion = UNREAD;
            log.warn("{}: could not write the failover record (fenced or cut off): {}", application, e.toString());
            return false;
        }
    }

    /**
     * Connects without joining the election, for a tool, and syncs the record's path: a fresh client
     * may be served by a follower that has not applied the leader's last write yet (ZooKeeper's reads
     * are only ordered per client). Throws when ZooKeeper is not reached in time.
     */
    private void connectAsTool(String what) {
        startClient();
        try {
            if (!client.blockUntilConnected(TOOL_PATIENCE, TimeUnit.SECONDS)) {
                throw new Mha4jException(
                        application + ": cannot " + what + ": ZooKeeper not reached within " + TOOL_PATIENCE + " s");
            }
            CountDownLatch synced = new CountDownLatch(1);
            client.getZookeeperClient()
                    .getZooKeeper()
                    .sync(znodes.failover, (rc, path, ctx) -> synced.countDown(), null);
            if (!synced.await(TOOL_PATIENCE, TimeUnit.SECONDS)) {
                throw new Mha4jException(
                        application + ": cannot " + what + ": ZooKeeper did not sync within " + TOOL_PATIENCE + " s");
            }
        } catch (Mha4jException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new Mha4jException(application + ": cannot " + what + ": " + e, e);
        }
    }

    @Override
    public boolean acknowledge(FailoverRecord.Acknowledgement acknowledgement) {
        connectAsTool("acknowledge");
        try {
            Stat stat = new Stat();
            Optional<FailoverRecord> last =
                    Znodes.record(client.getData().storingStatIn(stat).forPath(znodes.failover));
            if (last.isEmpty()) {
                return false;
            }
            if (last.get().unfinished()
                    && client.checkExists().forPath(znodes.manager(last.get().manager())) != null) {
                throw new Mha4jException(application + ": " + last.get().describe() + " is running: its manager"
                        + " still takes part. Acknowledge it once it ended, or once that manager stopped.");
            }
            // compare-and-set: a leader writing at the same moment wins, and the human is told to try again
            client.setData()
                    .withVersion(stat.getVersion())
                    .forPath(znodes.failover, Znodes.write(last.get().acknowledge(acknowledgement)));
            log.warn(
                    "{}: {} acknowledged by {}: {}",
                    application,
                    last.get().describe(),
                    acknowledgement.who(),
                    acknowledgement.reason());
            return true;
        } catch (KeeperException.NoNodeException e) {
            return false;
        } catch (KeeperException.BadVersionException e) {
            throw new Mha4jException(
                    application + ": the failover record changed while acknowledging it; try again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Mha4jException(application + ": interrupted while acknowledging", e);
        } catch (Mha4jException e) {
            throw e;
        } catch (Exception e) {
            throw new Mha4jException(application + ": cannot acknowledge the failover record: " + e, e);
        }
    }

    @Override
    public synchronized boolean isLeader() {
        return leader;
    }

    @Override
    public synchronized CompletableFuture<Void> leading() {
        return leading;
    }

    @Override
    public synchronized CompletableFuture<Void> notLeading() {
        return notLeading;
    }

    /**
     * Never waits on ZooKeeper (the monitor's thread writes it into the note at each ping): who leads
     * and who takes part, as the managers' published views say.
     */
    @Override
    public String describe() {
        if (!connected()) {
            return "ZooKeeper not connected; this one " + id + (isLeader() ? ", leading" : ", not leading");
        }
        List<ManagerView> all = views();
        String leader = isLeader()
                ? id
                : all.stream()
                        .filter(ManagerView::leading)
                        .map(ManagerView::manager)
                        .findFirst()
                        .orElse("not known yet");
        return "leader " + leader + ", " + Math.max(all.size(), 1) + " manager(s) taking part; this one " + id;
    }

    @Override
    public void watching(String master) {
        writeInBackground(
                znodes.watched, Znodes.watched(master, id), CreateMode.PERSISTENT, "recording the watched master");
    }

    @Override
    public void stoppedWatching() {
        if (!connected()) {
            return;
        }
        try {
            Stat stat = new Stat();
            byte[] data = client.getData().storingStatIn(stat).forPath(znodes.watched);
            // only this manager's own entry: another's watching goes on
            if (Znodes.watchedManager(data).equals(id)) {
                client.delete().withVersion(stat.getVersion()).forPath(znodes.watched);
            }
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            // nobody watched, or another manager watches now
        } catch (Exception e) {
            log.warn("{}: could not record that nobody watches the master: {}", application, e.toString());
        }
    }

    @Override
    public Optional<String> lastWatched() {
        if (!connected()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Znodes.watchedMaster(client.getData().forPath(znodes.watched)));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw new CoordinationException(application + ": cannot read " + znodes.watched + ": " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            views.close();
            if (latch.getState() == LeaderLatch.State.STARTED) {
                latch.close(LeaderLatch.CloseMode.NOTIFY_LEADER);
            }
        } catch (Exception e) {
            log.debug("{}: closing the election: {}", application, e.toString());
        } finally {
            client.close();
        }
    }
}
