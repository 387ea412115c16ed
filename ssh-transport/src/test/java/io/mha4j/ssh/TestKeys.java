package io.mha4j.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;

/** Fixed public keys (made once with ssh-keygen) for tests of known_hosts logic. */
final class TestKeys {

    static final String ED25519_A = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIODBnjIHXxquVAbtMV6QYWtI/CjSdC03PMcj+ruUVbeN";
    static final String ED25519_B = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDTnQJSNroFHZPtpA5n2hoM2CpudcCbOK1NP7hGlJDgV";
    static final String ECDSA = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBGv9qs8h"
            + "iM2MUtJI/mWzhdr0Nm4jY434BGKAA1QS6/zdeEpra5QpHf7C6X64mNDqcHG5CX9s+9pd9Z9hgfEt8uk=";
    static final String RSA = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCU9gnRLXsyj1LgQCyk18ADHWgrgC82gZvTTg57nfa+X+hh"
            + "49XUw6A5DbxuRAKHTurSVnlGJJzpU4RcuFnL7gT77u/pjQ+Qv1wGUwYSnW7hRKLehRPliihInw+go3FoOJ7lpFJ2iwFk+hGIIJu00yi7"
            + "7rHx3gqy+CHaWJleo9PF+Q==";

    private TestKeys() {}

    /** The key of a {@code "type blob"} line. */
    static PublicKey key(String typeAndBlob) {
        try {
            return new Buffer.PlainBuffer(Base64.getDecoder().decode(typeAndBlob.split(" ")[1])).readPublicKey();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
