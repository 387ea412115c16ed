/**
 * The failover: {@link io.mha4j.failover.MasterFailover} runs MHA's phases (check, isolate the
 * dead master, recover the new master, recover the replicas, clean up and report) with the
 * pluggable {@link io.mha4j.MasterElector}, {@link io.mha4j.DataCompensator},
 * {@link io.mha4j.TopologyRewirer} and {@link io.mha4j.FailoverHook}s, and returns a
 * {@link io.mha4j.failover.FailoverReport}.
 */
package io.mha4j.failover;
