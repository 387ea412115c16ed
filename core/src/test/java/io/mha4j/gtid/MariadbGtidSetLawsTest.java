package io.mha4j.gtid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.OptionalLong;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The {@link GtidSetLaws} for MariaDB, and the laws of positions and server ids. */
class MariadbGtidSetLawsTest extends GtidSetLaws<MariadbGtidSet> {

    @Override
    @Provide
    Arbitrary<MariadbGtidSet> sets() {
        return GtidSetArbitraries.mariadbSets(true);
    }

    @Override
    @Provide
    Arbitrary<MariadbGtidSet> smallSets() {
        return GtidSetArbitraries.mariadbSets(false);
    }

    @Provide
    Arbitrary<MariadbGtidSet> positions() {
        return GtidSetArbitraries.mariadbPositions();
    }

    @Override
    MariadbGtidSet parse(String text) {
        return MariadbGtidSet.parse(text);
    }

    @Override
    MariadbGtidSet empty() {
        return MariadbGtidSet.empty();
    }

    @Property
    void positionsStayPositionsUnderUnion(@ForAll("positions") MariadbGtidSet p, @ForAll("positions") MariadbGtidSet q) {
        assertThat(p.union(q).isPosition()).isTrue();
    }

    @Property
    void theUnionOfPositionsIsTheHigherPositionOfEachDomain(
            @ForAll("positions") MariadbGtidSet p, @ForAll("positions") MariadbGtidSet q) {
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

    @Property
    void aUnionKeepsTheServerIdOfTheHigherSide(@ForAll("sets") MariadbGtidSet a, @ForAll("sets") MariadbGtidSet b) {
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

    @Property
    void aSetIsAPositionExactlyWhenEachDomainHoldsOneThroughItsLastSeq(@ForAll("sets") MariadbGtidSet a) {
        boolean everyDomainIsFull = a.domains().stream().allMatch(domain -> a.contains(
                MariadbGtidSet.builder().add(domain, 1, a.lastSeq(domain).getAsLong()).build()));

        assertThat(a.isPosition()).isEqualTo(everyDomainIsFull);
    }

    @Property
    void aPositionRendersAsTextTheServerTakesAndReadsBack(@ForAll("positions") MariadbGtidSet p) {
        String position = p.toServerPosition();

        assertThat(position).doesNotContain("..");
        assertThat(MariadbGtidSet.parse(position)).isEqualTo(p);
    }

    @Property
    void aSetThatIsNotAPositionRefusesToRenderAsOne(@ForAll("sets") MariadbGtidSet a) {
        if (a.isPosition()) {
            assertThat(a.toServerPosition()).isEqualTo(a.toString());
        } else {
            // Long sets are abbreviated in the message, so check the part that always stands.
            assertThatIllegalStateException().isThrownBy(a::toServerPosition)
                    .withMessageContaining("is not a position a server can take")
                    .withMessageStartingWith("MariaDB GTID set '" + a.toString().substring(0, Math.min(20,
                            a.toString().length())));
        }
    }
}
