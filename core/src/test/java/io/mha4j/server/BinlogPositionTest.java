package io.mha4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BinlogPositionTest {
    @Test
    void filesCompareByNumberNotAsText() {
        BinlogPosition before = new BinlogPosition("mysql-bin.999999", 500);
        BinlogPosition after = new BinlogPosition("mysql-bin.1000000", 4);
        assertThat(before).isLessThan(after);
        assertThat(before.compareTo(new BinlogPosition("mysql-bin.999999", 501)))
                .isNegative();
        assertThat(after.sequence()).isEqualTo(1_000_000);
        assertThat(after.baseName()).isEqualTo("mysql-bin");
    }

    @Test
    void versionsKnowTheirFlavor() {
        assertThat(ServerVersion.parse("10.11.19-MariaDB-0+deb12u1-log", null))
                .isEqualTo(new ServerVersion(Flavor.MARIADB, 10, 11, 19, "10.11.19-MariaDB-0+deb12u1-log"));
        assertThat(ServerVersion.parse("5.5.5-10.6.4-MariaDB", "").major()).isEqualTo(10);
        assertThat(ServerVersion.parse("8.0.36-28", "Percona Server (GPL)").flavor())
                .isEqualTo(Flavor.MYSQL);
        assertThat(ServerVersion.parse("11.4.5", "MariaDB Server").flavor()).isEqualTo(Flavor.MARIADB);
        assertThat(ServerVersion.parse("8.4.3", "").isAtLeast(8, 2, 0)).isTrue();
        assertThat(ServerVersion.parse("8.0.36", "").isAtLeast(8, 2, 0)).isFalse();
    }
}
