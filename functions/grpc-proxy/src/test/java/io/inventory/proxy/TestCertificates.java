package io.inventory.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway certificates made at test time with the JDK's keytool: a CA, and leaf certificates it signs for
 * localhost and 127.0.0.1, written as PEM files gRPC reads. Nothing here is committed.
 */
final class TestCertificates {

    private static final String PASSWORD = "test-only";

    private final Path directory;

    TestCertificates(Path directory) {
        this.directory = directory;
    }

    /** A self-signed CA; returns its certificate's PEM file. */
    Path authority(String name) throws IOException, InterruptedException {
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-ext", "bc:c", "-validity", "2", "-keystore", store(name), "-storetype", "PKCS12",
                "-storepass", PASSWORD);
        Path pem = directory.resolve(name + ".pem");
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", store(name), "-storepass", PASSWORD,
                "-file", pem.toString());
        return pem;
    }

    /** A leaf certificate signed by {@code authority}; returns the certificate and key PEM files. */
    Path[] leaf(String name, String authority) throws IOException, InterruptedException, GeneralSecurityException {
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-validity", "2", "-keystore", store(name), "-storetype", "PKCS12", "-storepass", PASSWORD);
        Path request = directory.resolve(name + ".csr");
        keytool("-certreq", "-alias", name, "-keystore", store(name), "-storepass", PASSWORD,
                "-file", request.toString());
        Path certificate = directory.resolve(name + ".pem");
        keytool("-gencert", "-rfc", "-alias", authority, "-keystore", store(authority), "-storepass", PASSWORD,
                "-infile", request.toString(), "-outfile", certificate.toString(), "-validity", "2",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1");

        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(store(name)))) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        Key key = keyStore.getKey(name, PASSWORD.toCharArray());
        Path keyFile = directory.resolve(name + "-key.pem");
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return new Path[] {certificate, keyFile};
    }

    private String store(String name) {
        return directory.resolve(name + ".p12").toString();
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
