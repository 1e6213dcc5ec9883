package io.jfutures.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A manager reachable over TLS: its own JVM serves with a certificate made for this run (by the
 * JDK's keytool); clients that trust it connect by address, and pass proxies to children, which
 * make their own TLS contexts; a client that does not trust it, one with the wrong key, and a TLS
 * client of a plain TCP manager are each refused at once.
 */
final class ManagerTlsIT {
  private static final byte[] KEY = "a secret both sides know".getBytes(StandardCharsets.UTF_8);
  private static final String PASSWORD = "changeit";
  private static Path dir;
  private static String serverStore; // the manager's key and certificate
  private static String strangerStore; // another certificate, that nobody trusts here
  private static Manager server;

  @BeforeAll
  static void startServer() throws Exception {
    dir = Files.createTempDirectory("jfutures-tls-");
    serverStore = keyPair("manager").toString();
    strangerStore = keyPair("stranger").toString();
    String store = serverStore;
    server =
        Manager.newBuilder()
            .listen(new InetSocketAddress("127.0.0.1", 0), KEY)
            .tls(() -> context(store))
            .start();
  }

  @AfterAll
  static void stopServer() throws IOException {
    if (server != null) {
      server.shutdown();
    }
    ChildProcesses.awaitNone();
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  /** Makes a PKCS12 key store with a key pair whose certificate names 127.0.0.1 and localhost. */
  private static Path keyPair(String alias) throws IOException, InterruptedException {
    Path store = dir.resolve(alias + ".p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-dname",
                "CN=" + alias,
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD)
            .redirectErrorStream(true)
            .start();
    String said = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS), "keytool ran too long");
    assertEquals(0, keytool.exitValue(), said);
    return store;
  }

  /**
   * A TLS context whose key and trust both come from {@code store}: a server presents its
   * certificate; a client trusts that certificate, and no other.
   */
  static SSLContext context(String store) {
    try (InputStream in = Files.newInputStream(Path.of(store))) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD.toCharArray());
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, PASSWORD.toCharArray());
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      for (String alias : java.util.Collections.list(ks.aliases())) {
        trusted.setCertificateEntry(alias, ks.getCertificate(alias));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aClientThatTrustsTheManager_usesItsObjects_andSoDoesAChildItPassesThemTo() throws Exception {
    String store = serverStore;
    Manager client = Manager.connect(server.address(), KEY, () -> context(store));
    ManagedMap<String, Integer> d = client.dict();
    d.put("a", 1);
    ProcessLock lock = client.lock();
    JvmProcess child =
        new JvmProcess(
                () -> {
                  lock.lock();
                  try {
                    d.put("b", 2);
                  } finally {
                    lock.unlock();
                  }
                })
            .start();
    assertTrue(child.join(ChildProcesses.LONG));
    assertEquals(0, child.exitCode().orElseThrow());
    assertEquals(Map.of("a", 1, "b", 2), d.copy());
    assertTrue(lock.tryLock());
    lock.unlock();
    client.shutdown();
  }

  @Test
  void aClientThatDoesNotTrustTheManagersCertificate_isRefusedAtConnect() {
    String store = strangerStore;
    ManagerUnavailableException e =
        assertThrows(
            ManagerUnavailableException.class,
            () -> Manager.connect(server.address(), KEY, () -> context(store)));
    assertTrue(e.getMessage().contains("TLS handshake failed"), e.getMessage());
  }

  @Test
  void aWrongKey_isRefusedOverTlsToo() {
    String store = serverStore;
    ManagerUnavailableException e =
        assertThrows(
            ManagerUnavailableException.class,
            () ->
                Manager.connect(
                    server.address(),
                    "not the key".getBytes(StandardCharsets.UTF_8),
                    () -> context(store)));
    assertTrue(e.getMessage().contains("authentication key does not match"), e.getMessage());
  }

  @Test
  void aTlsClientOfAPlainTcpManager_isRefusedAtOnce() {
    Manager plain = Manager.newBuilder().listen(new InetSocketAddress("127.0.0.1", 0), KEY).start();
    try {
      String store = serverStore;
      assertThrows(
          ManagerUnavailableException.class,
          () -> Manager.connect(plain.address(), KEY, () -> context(store)));
      // The plain manager serves on.
      assertEquals(1, Manager.connect(plain.address(), KEY).list(List.of("x")).size());
    } finally {
      plain.shutdown();
    }
  }

  @Test
  void tlsWithoutListen_isRefusedAtStart() {
    String store = serverStore;
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> Manager.newBuilder().tls(() -> context(store)).start());
    assertTrue(e.getMessage().contains("listen(address, authKey)"), e.getMessage());
  }
}
