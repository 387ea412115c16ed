package io.mha4j.testkit;

import java.util.List;
import java.util.OptionalInt;

/**
 * Where each sandbox server runs and how it is reached. The default, {@link #LOOPBACK}, is
 * 127.0.0.1 in this network namespace. A test that builds its own network namespaces places
 * each node in one: the server is launched through a prefix such as {@code ip netns exec ns1},
 * listens on every address of that namespace (so that a virtual IP added there reaches it), and
 * is reached at the namespace's address. The accounts of the sandbox then exist for
 * {@link #clientHosts()} as well, so that the test, the replicas and mha4j can log in over that
 * network.
 */
public interface NodePlacement {

    /** The address the node is reached at. */
    String host(int index);

    /** What the server's command line is prefixed with, e.g. {@code ip netns exec ns1}; empty for none. */
    List<String> launchPrefix(int index);

    /** The server's {@code --bind-address}. */
    String bindAddress(int index);

    /** Extra host patterns the sandbox's accounts are created for, e.g. {@code 198.18.77.%}. */
    List<String> clientHosts();

    /**
     * The one port every node listens on, as production hosts share 3306 — so that a client of a
     * virtual IP reaches whichever host holds it at one address and port. Only for nodes in
     * namespaces of their own. Empty (the default): each node gets a free port of 127.0.0.1.
     */
    default OptionalInt port() {
        return OptionalInt.empty();
    }

    /** Every node on 127.0.0.1, here. */
    NodePlacement LOOPBACK = new NodePlacement() {
        @Override
        public String host(int index) {
            return "127.0.0.1";
        }

        @Override
        public List<String> launchPrefix(int index) {
            return List.of();
        }

        @Override
        public String bindAddress(int index) {
            return "127.0.0.1";
        }

        @Override
        public List<String> clientHosts() {
            return List.of();
        }
    };
}
