package io.mha4j.coordination.zookeeper;

import io.mha4j.Mha4jException;
import io.mha4j.coordination.Coordination;
import io.mha4j.coordination.FailoverRecord;
import io.mha4j.coordination.ManagerView;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
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
                synchronized (ZooKeeperCoordination.this) {
                    leader = true;
                    notLeading = new CompletableFuture<>();
                    leading.complete(null);
                }
            }

            @Override
            public void notLeader() {
                log.warn("{}: this manager ({}) does not lead any more", application, id);
                synchronized (ZooKeeperCoordination.this) {
                    leader = false;
                    leading = new CompletableFuture<>();
                    notLeading.complete(null);
                }
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
        if (!connected()) {
            return;
        }
        try {
            // in the background: the monitor's thread never waits on ZooKeeper
            client.create()
                    .orSetData()
                    .creatingParentContainersIfNeeded()
                    .withMode(CreateMode.EPHEMERAL)
                    .inBackground()
                    .forPath(znodes.manager(id), Znodes.write(view));
        } catch (Exception e) {
            log.debug("{}: publishing this manager's view: {}", application, e.toString());
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
            return Znodes.record(client.getData().forPath(znodes.failover));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw new Mha4jException(
                    application + ": cannot read the failover record " + znodes.failover + ": " + e, e);
        }
    }

    @Override
    public boolean record(FailoverRecord record) {
        String ours = latch.getOurPath();
        if (!isLeader() || ours == null || !connected()) {
            return false;
        }
        try {
            ensureRecordNode();
            // fenced: written only if this manager's node in the election still exists (its session lives)
            client.transaction()
                    .forOperations(
                            client.transactionOp().check().forPath(ours),
                            client.transactionOp().setData().forPath(znodes.failover, Znodes.write(record)));
            return isLeader();
        } catch (Exception e) {
            log.warn("{}: could not write the failover record (fenced or cut off): {}", application, e.toString());
            return false;
        }
    }

    /** Connects without joining the election, for a tool; throws when ZooKeeper is not reached in time. */
    private void connectAsTool(String what) {
        startClient();
        try {
            if (!client.blockUntilConnected(TOOL_PATIENCE, TimeUnit.SECONDS)) {
                throw new Mha4jException(
                        application + ": cannot " + what + ": ZooKeeper not reached within " + TOOL_PATIENCE + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Mha4jException(application + ": interrupted while connecting to ZooKeeper", e);
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

    private void ensureRecordNode() throws Exception {
        try {
            client.create().creatingParentContainersIfNeeded().forPath(znodes.failover, new byte[0]);
        } catch (KeeperException.NodeExistsException e) {
            // made by an earlier failover
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

    /** Never waits on ZooKeeper: without a connection, it says so instead of asking (Curator would retry). */
    @Override
    public String describe() {
        if (!client.getZookeeperClient().isConnected()) {
            return "ZooKeeper not connected; this one " + id + (isLeader() ? ", leading" : ", not leading");
        }
        try {
            Participant leader = latch.getLeader();
            return "leader " + (leader.getId().isEmpty() ? "none yet" : leader.getId()) + ", "
                    + latch.getParticipants().size() + " manager(s) taking part; this one " + id;
        } catch (Exception e) {
            return "ZooKeeper not answering (" + e.getMessage() + "); this one " + id;
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
