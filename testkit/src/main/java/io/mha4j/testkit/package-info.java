/** A sandbox of real database servers for failover tests. */
package io.mha4j.testkit;
