/**
 * mha4j's core: the API a host application touches, and the plugins' service interfaces.
 * Packages under {@code io.mha4j.internal} are not exported: on the module path nothing outside
 * core can reach them, as the architecture tests already hold on the class path.
 */
module io.mha4j.core {
    requires java.sql;
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;

    exports io.mha4j;
    exports io.mha4j.binlog;
    exports io.mha4j.check;
    exports io.mha4j.config;
    exports io.mha4j.coordination;
    exports io.mha4j.failover;
    exports io.mha4j.gtid;
    exports io.mha4j.guard;
    exports io.mha4j.manager;
    exports io.mha4j.monitor;
    exports io.mha4j.remote;
    exports io.mha4j.server;
    exports io.mha4j.spi;
    exports io.mha4j.time;

    uses io.mha4j.config.ParameterProvider;
    uses io.mha4j.spi.ClusterMonitorProvider;
    uses io.mha4j.spi.CoordinationProvider;
    uses io.mha4j.spi.DataCompensatorProvider;
    uses io.mha4j.spi.FailoverHookProvider;
    uses io.mha4j.spi.MasterElectorProvider;
    uses io.mha4j.spi.RemoteShellProvider;
    uses io.mha4j.spi.TopologyRewirerProvider;

    provides io.mha4j.spi.ClusterMonitorProvider with
            io.mha4j.internal.monitor.MhaMonitorProvider;
    provides io.mha4j.spi.CoordinationProvider with
            io.mha4j.internal.coordination.LocalCoordination;
    provides io.mha4j.spi.DataCompensatorProvider with
            io.mha4j.internal.failover.BinlogCompensator,
            io.mha4j.internal.failover.NoCompensation;
    provides io.mha4j.spi.MasterElectorProvider with
            io.mha4j.internal.failover.MhaElector;
    provides io.mha4j.spi.RemoteShellProvider with
            io.mha4j.internal.remote.LocalShellProvider;
    provides io.mha4j.spi.TopologyRewirerProvider with
            io.mha4j.internal.failover.GtidRewirer;
}
