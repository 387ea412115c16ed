package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCertificateTest {

    @TempDir
    Path dir;

    @Test
    void theCertificateIsAValidSelfSignedX509v3ThatNeverExpires() throws Exception {
        Instant now = Instant.parse("2026-11-25T01:00:00Z");
        ServerCertificate made = ServerCertificate.selfSigned("mha4j-sandbox", now);

        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(made.certificateDer()));

        cert.verify(cert.getPublicKey());
        assertThat(cert.getVersion()).isEqualTo(3);
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=mha4j-sandbox");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(cert.getNotBefore().toInstant()).isEqualTo(now.minus(1, ChronoUnit.DAYS));
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
    }

    @Test
    void thePemFilesHoldTheCertificateAndTheKeyThatSignsForIt() throws Exception {
        ServerCertificate made = ServerCertificate.selfSigned("mha4j-sandbox", Instant.now());
        Path certFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");

        made.writeTo(certFile, keyFile);

        X509Certificate cert;
        try (var in = Files.newInputStream(certFile)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        String keyPem = Files.readString(keyFile);
        assertThat(keyPem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        byte[] pkcs8 = Base64.getMimeDecoder().decode(keyPem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(key);
        signature.update(new byte[] {42});
        byte[] signed = signature.sign();
        signature.initVerify(cert.getPublicKey());
        signature.update(new byte[] {42});
        assertThat(signature.verify(signed)).isTrue();
    }
}
