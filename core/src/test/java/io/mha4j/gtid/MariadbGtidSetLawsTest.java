package io.mha4j.gtid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeSet;

/** The {@link GtidSetLaws} for MariaDB, and the laws of positions and server ids. */
class MariadbGtidSetLawsTest extends GtidSetLaws<MariadbGtidSet> {

    @Override
    MariadbGtidSet set(Random random) {
        return GtidSetGenerators.mariadbSet(random, true);
    }

    @Override
    MariadbGtidSet smallSet(Random random) {
        return GtidSetGenerators.mariadbSet(random, false);
    }

    @Override
    MariadbGtidSet parse(String text) {
        return MariadbGtidSet.parse(text);
    }

    @Override
    MariadbGtidSet empty() {
        return MariadbGtidSet.empty();
    }

    @Law
    void positionsStayPositionsUnderUnion(long seed) {
        Random random = new Random(seed);
        MariadbGtidSet p = GtidSetGenerators.mariadbPosition(random);
        MariadbGtidSet q = GtidSetGenerators.mariadbPosition(random);

        assertThat(p.union(q).isPosition()).isTrue();
    }

    @Law
    void theUnionOfPositionsIsTheHigherPositionOfEachDomain(long seed) {
        Random random = new Random(seed);
        MariadbGtidSet p = GtidSetGenerators.mariadbPosition(random);
        MariadbGtidSet q = GtidSetGenerators.mariadbPosition(random);

        MariadbGtidSet union = p.union(q);

        TreeSet<Long> domains = new TreeSet<>(p.domains());
        domains.addAll(q.domains());
        assertThat(union.domains()).containsExactlyElementsOf(domains);
        for (long domain : domains) {
            long ours = p.lastSeq(domain).orElse(0);
            long theirs = q.lastSeq(domain).orElse(0);
            assertThat(union.lastSeq(domain)).hasValue(Math.max(ours, theirs));
            if (ours != theirs) {
                OptionalLong winner = ours > theirs ? p.serverIdOf(domain) : q.serverIdOf(domain);
                assertThat(union.serverIdOf(domain)).isEqualTo(winner);
            }
        }
    }

    @Law
    void aUnionKeepsTheServerIdOfTheHigherSide(long seed) {
        Random random = new Random(seed);
        MariadbGtidSet a = set(random);
        MariadbGtidSet b = set(random);

        MariadbGtidSet union = a.union(b);

        for (long domain : union.domains()) {
            long ours = a.lastSeq(domain).orElse(0);
            long theirs = b.lastSeq(domain).orElse(0);
            if (ours > theirs) {
                assertThat(union.serverIdOf(domain)).isEqualTo(a.serverIdOf(domain));
            } else if (theirs > ours) {
                assertThat(union.serverIdOf(domain)).isEqualTo(b.serverIdOf(domain));
            }
        }
    }

    @Law
    void aSetIsAPositionExactlyWhenEachDomainHoldsOneThroughItsLastSeq(long seed) {
        Random random = new Random(seed);
        MariadbGtidSet a = set(random);

        boolean everyDomainIsFull = a.domains().stream()
                .allMatch(domain -> a.contains(MariadbGtidSet.builder()
                        .add(domain, 1, a.lastSeq(domain).getAsLong())
                        .build()));

        assertThat(a.isPosition()).isEqualTo(everyDomainIsFull);
    }

    @Law
    void aPositionRendersAsTextTheServerTakesAndReadsBack(long seed) {
        Random random = new Random(seed);
        MariadbGtidSet p = GtidSetGenerators.mariadbPosition(random);

        String position = p.toServerPosition();

        assertThat(position).doesNotContain("..");
        assertThat(MariadbGtidSet.parse(position)).isEqualTo(p);
    }

    @Law
    void aSetThatIsNotAPositionRefusesToRenderAsOne(long seed) {
        Random random = new Random(seed);
        MariadbGtidSet a = set(random);

        if (a.isPosition()) {
            assertThat(a.toServerPosition()).isEqualTo(a.toString());
        } else {
            // Long sets are abbreviated in the message, so check the part that always stands.
            assertThatIllegalStateException()
                    .isThrownBy(a::toServerPosition)
                    .withMessageContaining("is not a position a server can take")
                    .withMessageStartingWith("MariaDB GTID set '"
                            + a.toString()
                                    .substring(0, Math.min(20, a.toString().length())));
        }
    }
}
