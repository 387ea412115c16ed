package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.Candidate;
import io.mha4j.failover.Election;
import io.mha4j.failover.ElectionContext;
import io.mha4j.internal.check.FakeServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** MHA's election rules, on made-up replicas: who wins, and every loser's reason. */
class MhaElectorTest {
    private final MhaElector elector = new MhaElector();
    /** The application {@link #servers} built last: the election's configuration. */
    private ApplicationConfig app;

    /** Servers server2..server4 (server1 is the dead master), settings added per index. */
    private List<ServerConfig> servers(BiConsumer<Integer, ServerConfig.Builder> perServer) {
        return servers(app -> {}, perServer);
    }

    private List<ServerConfig> servers(
            java.util.function.Consumer<ApplicationConfig.Builder> application,
            BiConsumer<Integer, ServerConfig.Builder> perServer) {
        ApplicationConfig.Builder b =
                ApplicationConfig.builder("app1").user("mha").password("pw");
        application.accept(b);
        for (int i = 1; i <= 4; i++) {
            int n = i;
            b.server(
                    "server" + i,
                    s -> perServer.accept(n, s.hostname("127.0.0.1").port(3305 + n)));
        }
        app = b.build();
        return app.servers().subList(1, 4);
    }

    /** A failover's election of server1's successor among {@code candidates}. */
    private Election elect(List<Candidate> candidates) {
        return elector.elect(new ElectionContext(
                app, app.servers().get(0), ElectionContext.Purpose.FAILOVER, candidates, Optional.empty()));
    }

    /** A candidate per server; {@code latest} lists the indexes (2..4) that have everything. */
    private static List<Candidate> candidates(
            List<ServerConfig> servers, List<Integer> latest, BiConsumer<Integer, FakeServer> state) {
        List<Candidate> result = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            int index = i + 2;
            FakeServer f = FakeServer.replica(index, 3306, 1);
            state.accept(index, f);
            boolean isLatest = latest.contains(index);
            result.add(new Candidate(servers.get(i), f.state(), isLatest, isLatest ? 0 : 5, f.sqlDelay == 0 && f.sql));
        }
        return result;
    }

    @Test
    void aCandidateThatIsLatestWinsOverEarlierServers() {
        List<ServerConfig> s = servers((i, b) -> b.set(Parameter.CANDIDATE_MASTER, i == 4));
        Election e = elect(candidates(s, List.of(2, 3, 4), (i, f) -> {}));
        assertThat(e.winner()).contains(s.get(2));
        assertThat(e.reason()).contains("candidate_master=1 and has the latest");
        assertThat(e.losers()).containsOnlyKeys("server2", "server3");
    }

    @Test
    void aCandidateBehindStillWinsAndIsCaughtUpFirstAsMhaSearchesCandidatesBeforeLatest() {
        List<ServerConfig> s = servers((i, b) -> b.set(Parameter.CANDIDATE_MASTER, i == 4));
        Election e = elect(candidates(s, List.of(2), (i, f) -> {}));
        assertThat(e.winner()).contains(s.get(2));
        assertThat(e.reason()).contains("caught up from the latest replica first");
        assertThat(e.losers().get("server3")).contains("lacks 5 transaction(s)");
    }

    @Test
    void withoutCandidatesTheFirstLatestInConfigurationOrderWins() {
        List<ServerConfig> s = servers((i, b) -> {});
        Election e = elect(candidates(s, List.of(3, 4), (i, f) -> {}));
        assertThat(e.winner()).contains(s.get(1));
        assertThat(e.reason()).isEqualTo("has the latest transactions");
        assertThat(e.losers().get("server4")).isEqualTo("lost to server3");
    }

    @Test
    void latestPriorityZeroLetsConfigurationOrderWin() {
        List<ServerConfig> s = servers((i, b) -> b.set(Parameter.LATEST_PRIORITY, false));
        Election e = elect(candidates(s, List.of(4), (i, f) -> {}));
        assertThat(e.winner()).contains(s.get(0));
        assertThat(e.reason()).contains("latest_priority=0");
    }

    @Test
    void noMasterNoBinlogDelayedAndUnappliedServersAreNeverElectedAndSayWhy() {
        List<ServerConfig> s = servers((i, b) -> b.set(Parameter.NO_MASTER, i == 2));
        Election e = elect(candidates(s, List.of(2, 3, 4), (i, f) -> {
            f.logBin = i != 3;
            if (i == 4) {
                f.sqlDelay = 3600;
            }
        }));
        assertThat(e.winner()).isEmpty();
        assertThat(e.reason()).isEqualTo("no replica may become master");
        assertThat(e.losers())
                .containsEntry("server2", "no_master=1")
                .containsEntry("server3", "log_bin is off, so it cannot serve replicas")
                .containsEntry("server4", "check_repl_delay=1: a delayed replica (SQL_Delay=3600 s)");
    }

    @Test
    void withCheckReplDelayOffADelayedReplicaIsStillRefusedWhileItsRelayLogIsUnapplied() {
        List<ServerConfig> s = servers((i, b) -> {
            b.set(Parameter.CHECK_REPL_DELAY, false);
            b.set(Parameter.NO_MASTER, i != 4);
        });
        Election e = elect(candidates(s, List.of(4), (i, f) -> f.sqlDelay = i == 4 ? 60 : 0));
        assertThat(e.winner()).isEmpty();
        assertThat(e.losers().get("server4")).startsWith("its relay log is not fully applied");
    }

    /** Candidates 2..4, all latest; {@code errant} gives a server's errant GTIDs by index. */
    private static List<Candidate> withErrant(List<ServerConfig> servers, java.util.Map<Integer, String> errant) {
        List<Candidate> plain = candidates(servers, List.of(2, 3, 4), (i, f) -> {});
        List<Candidate> result = new ArrayList<>();
        for (int i = 0; i < plain.size(); i++) {
            Candidate c = plain.get(i);
            result.add(new Candidate(
                    c.server(),
                    c.state(),
                    c.latest(),
                    c.missing(),
                    c.relayLogApplied(),
                    io.mha4j.gtid.MariadbGtidSet.parse(errant.getOrDefault(i + 2, ""))));
        }
        return result;
    }

    @Test
    void aReplicaWithErrantTransactionsIsNeverElectedOverOneWithout() {
        List<ServerConfig> s = servers((i, b) -> b.set(Parameter.CANDIDATE_MASTER, i == 2));
        Election e = elect(withErrant(s, java.util.Map.of(2, "2-2-1", 3, "3-3-4")));

        assertThat(e.winner()).contains(s.get(2));
        assertThat(e.reason()).isEqualTo("has the latest transactions");
        assertThat(e.losers().get("server2"))
                .startsWith("errant transactions 2-2-1 (1 the dead master never wrote")
                .endsWith("never elected over a replica without them (errant_transactions=refuse)");
        assertThat(e.losers().get("server3")).startsWith("errant transactions 3-3-4 (4 ");
    }

    @Test
    void whenEveryPossibleMasterHoldsErrantTransactionsNobodyIsElected() {
        List<ServerConfig> s = servers((i, b) -> b.set(Parameter.NO_MASTER, i == 4));
        Election e = elect(withErrant(s, java.util.Map.of(2, "2-2-1", 3, "3-3-1")));

        assertThat(e.winner()).isEmpty();
        assertThat(e.reason())
                .startsWith("every replica that could become master holds errant transactions")
                .contains("errant_transactions=allow");
        assertThat(e.losers().get("server2")).startsWith("errant transactions 2-2-1");
        assertThat(e.losers().get("server4")).isEqualTo("no_master=1");
    }

    @Test
    void errantTransactionsAllowIsMhasWayAndTheReasonSaysSo() {
        List<ServerConfig> s = servers(app -> app.set(Parameter.ERRANT_TRANSACTIONS, "allow"), (i, b) -> {});
        Election e = elect(withErrant(s, java.util.Map.of(2, "2-2-1")));

        assertThat(e.winner()).contains(s.get(0));
        assertThat(e.reason()).contains("it holds errant transactions 2-2-1").contains("errant_transactions=allow");
    }

    @Test
    void anIneligibleReplicasReasonAlsoNamesItsErrantTransactions() {
        List<ServerConfig> s = servers((i, b) -> b.set(Parameter.NO_MASTER, i == 3));
        Election e = elect(withErrant(s, java.util.Map.of(3, "0-3-101..101")));

        assertThat(e.winner()).contains(s.get(0));
        assertThat(e.losers().get("server3"))
                .isEqualTo("no_master=1; errant transactions 0-3-101..101 (1 the dead"
                        + " master never wrote and no other replica holds)");
    }
}
