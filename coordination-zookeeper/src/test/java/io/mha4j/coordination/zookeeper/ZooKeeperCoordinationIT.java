package io.mha4j.coordination.zookeeper;

import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link ZooKeeperContract} on Curator's in-process ensemble (TestingCluster: three real servers). */
class ZooKeeperCoordinationIT extends ZooKeeperContract {
    private static TestingCluster zookeeper;
    private final List<InstanceSpec> stopped = new ArrayList<>();

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zookeeper = new TestingCluster(3);
        zookeeper.start();
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        zookeeper.close();
    }

    @Override
    String connect() {
        return zookeeper.getConnectString();
    }

    @Override
    void loseQuorum() throws Exception {
        for (InstanceSpec server : List.copyOf(zookeeper.getInstances()).subList(0, 2)) {
            zookeeper.killServer(server);
            stopped.add(server);
        }
    }

    @Override
    void restoreQuorum() throws Exception {
        for (InstanceSpec server : stopped) {
            zookeeper.restartServer(server);
        }
        stopped.clear();
    }
}
