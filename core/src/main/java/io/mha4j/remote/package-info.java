/**
 * Running commands on database hosts and moving bytes to and from them: the
 * {@link io.mha4j.remote.RemoteShell} seam, its local implementation, and the target
 * description an SSH implementation connects to.
 */
package io.mha4j.remote;
