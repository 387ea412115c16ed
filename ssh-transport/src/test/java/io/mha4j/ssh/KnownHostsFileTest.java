package io.mha4j.ssh;

import static io.mha4j.ssh.TestKeys.ECDSA;
import static io.mha4j.ssh.TestKeys.ED25519_A;
import static io.mha4j.ssh.TestKeys.ED25519_B;
import static io.mha4j.ssh.TestKeys.RSA;
import static io.mha4j.ssh.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsFileTest {

    @TempDir
    Path dir;

    private KnownHostsFile file(String... lines) throws Exception {
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return KnownHostsFile.read(file);
    }

    @Test
    void theRecordedKeyOfAHostIsKnown() throws Exception {
        KnownHostsFile known = file("[db1]:2222 " + ED25519_A, "db2 " + ED25519_B);

        assertThat(known.classify("db1", 2222, key(ED25519_A))).isEqualTo(HostKeyVerdict.KNOWN);
        assertThat(known.classify("db2", 22, key(ED25519_B))).isEqualTo(HostKeyVerdict.KNOWN);
    }

    @Test
    void aHostNoLineNamesIsUnknown() throws Exception {
        KnownHostsFile known = file("[db1]:2222 " + ED25519_A);

        assertThat(known.classify("db2", 2222, key(ED25519_A))).isEqualTo(HostKeyVerdict.UNKNOWN);
        assertThat(known.classify("db1", 22, key(ED25519_A)))
                .as("another port is another host")
                .isEqualTo(HostKeyVerdict.UNKNOWN);
    }

    @Test
    void aMissingFileKnowsNoHost() throws Exception {
        KnownHostsFile known = KnownHostsFile.read(dir.resolve("absent"));

        assertThat(known.classify("db1", 22, key(ED25519_A))).isEqualTo(HostKeyVerdict.UNKNOWN);
    }

    @Test
    void anotherKeyOfTheSameTypeIsAChange() throws Exception {
        KnownHostsFile known = file("db1 " + ED25519_A);

        assertThat(known.classify("db1", 22, key(ED25519_B))).isEqualTo(HostKeyVerdict.CHANGED);
    }

    @Test
    void aKeyOfATypeTheFileDoesNotHoldForAListedHostIsAChange() throws Exception {
        KnownHostsFile known = file("db1 " + ECDSA);

        assertThat(known.classify("db1", 22, key(ED25519_A))).isEqualTo(HostKeyVerdict.CHANGED);
    }

    @Test
    void anyOfSeveralKeysOfAHostIsKnown() throws Exception {
        KnownHostsFile known = file("db1 " + RSA, "db1 " + ED25519_A);

        assertThat(known.classify("db1", 22, key(ED25519_A))).isEqualTo(HostKeyVerdict.KNOWN);
        assertThat(known.classify("db1", 22, key(RSA))).isEqualTo(HostKeyVerdict.KNOWN);
    }

    @Test
    void aRevokedKeyIsRevokedEvenIfAnotherLineAcceptsIt() throws Exception {
        KnownHostsFile known = file("db1 " + ED25519_A, "@revoked * " + ED25519_A);

        assertThat(known.classify("db1", 22, key(ED25519_A))).isEqualTo(HostKeyVerdict.REVOKED);
    }

    @Test
    void hashedHostNamesAreMatched() throws Exception {
        byte[] salt = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(salt, "HmacSHA1"));
        byte[] hash = mac.doFinal("[db1]:2222".getBytes(StandardCharsets.US_ASCII));
        Base64.Encoder b64 = Base64.getEncoder();
        String hashed = "|1|" + b64.encodeToString(salt) + "|" + b64.encodeToString(hash);
        KnownHostsFile known = file(hashed + " " + ED25519_A);

        assertThat(known.classify("db1", 2222, key(ED25519_A))).isEqualTo(HostKeyVerdict.KNOWN);
        assertThat(known.classify("db1", 2222, key(ED25519_B))).isEqualTo(HostKeyVerdict.CHANGED);
        assertThat(known.classify("db2", 2222, key(ED25519_A))).isEqualTo(HostKeyVerdict.UNKNOWN);
    }

    @Test
    void anRsaLineAlsoOffersTheSha2SignatureAlgorithms() throws Exception {
        KnownHostsFile known = file("db1 " + RSA, "db2 " + ED25519_A);

        assertThat(known.algorithms("db1", 22)).containsExactly("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa");
        assertThat(known.algorithms("db2", 22)).containsExactly("ssh-ed25519");
        assertThat(known.algorithms("db3", 22)).isEmpty();
    }

    @Test
    void anAppendedKeyIsKnownAtTheNextRead() throws Exception {
        Path path = dir.resolve("sub/known_hosts");

        KnownHostsFile.read(path).append("DB1", 2222, key(ED25519_A));

        assertThat(Files.readAllLines(path)).containsExactly("[db1]:2222 " + ED25519_A);
        assertThat(KnownHostsFile.read(path).classify("db1", 2222, key(ED25519_A)))
                .isEqualTo(HostKeyVerdict.KNOWN);
    }

    @Test
    void appendingToAFileWithoutFinalNewlineStartsANewLine() throws Exception {
        Path path = Files.writeString(dir.resolve("known_hosts"), "db2 " + ED25519_B);

        KnownHostsFile.read(path).append("db1", 22, key(ED25519_A));

        assertThat(Files.readAllLines(path)).containsExactly("db2 " + ED25519_B, "db1 " + ED25519_A);
    }

    @Test
    void fingerprintsAreThoseSshKeygenPrints() {
        // echo "$ED25519_A" | ssh-keygen -lf -
        assertThat(KnownHostsFile.fingerprint(key(ED25519_A)))
                .isEqualTo("SHA256:pceBcHNmPfg9J9fcHWZoKW8gXCnoXK1arI2NRP7i+bk");
        assertThat(KnownHostsFile.hostPattern("Db1", 22)).isEqualTo("db1");
        assertThat(KnownHostsFile.hostPattern("10.0.0.1", 2222)).isEqualTo("[10.0.0.1]:2222");
    }
}
