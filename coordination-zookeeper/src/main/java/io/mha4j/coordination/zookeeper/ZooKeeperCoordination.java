package io.mha4j.coordination.zookeeper;

import io.mha4j.Mha4jException;
import io.mha4j.coordination.Coordination;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One manager's part in its application's election: Curator's {@link LeaderLatch} on {@code
 * <root>/<application>/leader}. Curator's default error policy takes the lead away as soon as the
 * connection is suspended (not only when the session expires), so a manager cut off from the
 * ensemble stops acting before another can lead.
 */
final class ZooKeeperCoordination implements Coordination {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperCoordination.class);

    private final String application;
    private final String id;
    private final CuratorFramework client;
    private final LeaderLatch latch;
    /** One record of the lead, with the futures that announce its changes (Curator's own flag may run ahead). */
    private boolean leader;

    private CompletableFuture<Void> leading = new CompletableFuture<>();
    private CompletableFuture<Void> notLeading = CompletableFuture.completedFuture(null);

    ZooKeeperCoordination(String connect, String root, String application, Duration sessionTimeout) {
        this.application = application;
        // host/pid, unique in the JVM too (tests run several managers in one)
        this.id = ManagementFactory.getRuntimeMXBean().getName() + "/"
                + UUID.randomUUID().toString().substring(0, 8);
        int session = (int) sessionTimeout.toMillis();
        this.client = CuratorFrameworkFactory.builder()
                .connectString(connect)
                .sessionTimeoutMs(session)
                .connectionTimeoutMs(Math.min(session, 5_000))
                .retryPolicy(new ExponentialBackoffRetry(200, 10, 2_000))
                .build();
        this.latch = new LeaderLatch(client, (root.endsWith("/") ? root : root + "/") + application + "/leader", id);
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
        client.start();
        try {
            latch.start();
        } catch (Exception e) {
            throw new Mha4jException(application + ": cannot join the managers' election on ZooKeeper: " + e, e);
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
            latch.close(LeaderLatch.CloseMode.NOTIFY_LEADER);
        } catch (Exception e) {
            log.debug("{}: closing the election: {}", application, e.toString());
        } finally {
            client.close();
        }
    }
}
