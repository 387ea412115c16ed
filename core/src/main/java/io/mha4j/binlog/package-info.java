/** Binlog servers ({@code [binlogN]}): raw copies of the master's binary logs, kept current. */
package io.mha4j.binlog;
