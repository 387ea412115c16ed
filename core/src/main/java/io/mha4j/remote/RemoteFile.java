package io.mha4j.remote;

import java.time.Instant;

/**
 * What {@link RemoteShell#stat} tells of a file.
 *
 * @param path the path asked for
 * @param size its size in bytes
 * @param modified its modification time
 * @param directory whether it is a directory
 * @param permissions POSIX permission bits (e.g. 0755)
 */
public record RemoteFile(String path, long size, Instant modified, boolean directory, int permissions) {
    /** Someone may execute it: what a hook script needs. */
    public boolean isExecutable() {
        return !directory && (permissions & 0111) != 0;
    }
}
