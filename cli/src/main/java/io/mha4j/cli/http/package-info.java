/**
 * The manager's HTTP health endpoints ({@code manager --http=HOST:PORT}) for HAProxy and friends:
 * {@code GET /master/<block>} and {@code GET /replica/<block>}, answered from the manager's events
 * and a periodic read of each replica (docs/haproxy.md).
 */
package io.mha4j.cli.http;
