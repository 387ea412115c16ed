/**
 * What mha4j observes of a MySQL or MariaDB server, and how it talks to one: the
 * {@link io.mha4j.server.ServerState} snapshot, the {@link io.mha4j.server.Dialect} that holds
 * every flavor difference, and {@link io.mha4j.server.ServerConnection}, what roles and hooks
 * reach a server with.
 */
package io.mha4j.server;
