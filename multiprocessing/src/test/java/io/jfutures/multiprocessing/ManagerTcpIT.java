package io.jfutures.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A manager reachable over TCP with an authentication key, as Python's {@code BaseManager(address,
 * authkey)}: clients that connect by address (here, this JVM and child JVMs, over the loopback), a
 * wrong key, a stranger on the port, and a client killed while it holds the manager's lock.
 */
final class ManagerTcpIT {
  private static final byte[] KEY = "a secret both sides know".getBytes(StandardCharsets.UTF_8);
  private static Manager server;

  @BeforeAll
  static void startServer() {
    server =
        Manager.newBuilder()
            .register("Counter", ManagerTest.CounterImpl::new, ManagerTest.Counter.class)
            .listen(new InetSocketAddress("127.0.0.1", 0), KEY)
            .start();
  }

  @AfterAll
  static void stopServer() {
    server.shutdown();
    ChildProcesses.awaitNone();
  }

  @Test
  void aClientThatConnectsByAddress_usesTheManagersObjects() throws Exception {
    InetSocketAddress address = server.address();
    assertTrue(address.getPort() > 0);
    Manager client = Manager.connect(address, KEY);
    ManagedMap<String, Integer> d = client.dict();
    d.put("a", 1);
    ManagerTest.Counter counter = client.create("Counter", ManagerTest.Counter.class);
    counter.increment(2);
    // Another process connects by address too, and uses the same objects through their proxies.
    ProcessQueue<String> said = new ProcessQueue<>();
    JvmProcess other =
        new JvmProcess(
                () -> {
                  Manager mine = Manager.connect(address, KEY);
                  d.put("b", 2);
                  counter.increment(3);
                  said.put(mine.dict(java.util.Map.of("c", 3)).copy().toString());
                })
            .start();
    assertEquals("{c=3}", said.get(ChildProcesses.LONG));
    assertTrue(other.join(ChildProcesses.LONG));
    assertEquals(0, other.exitCode().orElseThrow());
    assertEquals(java.util.Map.of("a", 1, "b", 2), d.copy());
    assertEquals(5, counter.value());
    client.shutdown(); // lets go: the manager serves on
    assertTrue(server.isAlive());
    said.close();
  }

  @Test
  void aWrongKey_isRefusedAtConnect() {
    ManagerUnavailableException e =
        assertThrows(
            ManagerUnavailableException.class,
            () ->
                Manager.connect(server.address(), "not the key".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("authentication key does not match"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Manager.connect(server.address(), new byte[0]));
  }

  @Test
  void aStrangerOnThePort_isCutOff_andTheManagerServesOn() throws Exception {
    try (Socket stranger = new Socket()) {
      stranger.connect(server.address(), 10_000);
      stranger.setSoTimeout(20_000);
      InputStream in = stranger.getInputStream();
      byte[] challenge = in.readNBytes(32);
      assertEquals(32, challenge.length, "the server speaks first: a challenge");
      OutputStream out = stranger.getOutputStream();
      byte[] garbage = new byte[64]; // no HMAC of the challenge, then what would be a frame
      Arrays.fill(garbage, (byte) 7);
      out.write(garbage);
      out.flush();
      int next;
      try {
        next = in.read();
      } catch (java.net.SocketException reset) {
        next = -1; // closed with our garbage unread: a reset, which is a close too
      }
      assertEquals(-1, next, "the server closes the connection, reading nothing more");
    }
    Manager client = Manager.connect(server.address(), KEY);
    assertEquals(1, client.list(java.util.List.of("x")).size());
  }

  /**
   * A TCP client cannot map the manager's shared memory: its barrier and semaphore do everything
   * through the manager's hub, and still pass turns exactly with a child JVM doing the same.
   */
  @Test
  void aTcpClientsBarrierAndSemaphore_workThroughTheHub() throws Exception {
    Manager client = Manager.connect(server.address(), KEY);
    ProcessBarrier barrier = client.barrier(2);
    ProcessSemaphore ping = client.semaphore(0);
    ProcessSemaphore pong = client.semaphore(0);
    JvmProcess other =
        new JvmProcess(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    barrier.await();
                    ping.acquire();
                    pong.release();
                  }
                })
            .start();
    int indexSum = 0;
    for (int i = 0; i < 100; i++) {
      indexSum += barrier.await(java.time.Duration.ofSeconds(30));
      ping.release();
      assertTrue(pong.tryAcquire(ChildProcesses.LONG), "round " + i);
    }
    assertTrue(other.join(ChildProcesses.LONG));
    assertEquals(0, other.exitCode().orElseThrow());
    assertTrue(indexSum > 0 && indexSum < 100, "each round's indexes are 0 and 1: " + indexSum);
    assertEquals(0, pong.availablePermits());
    assertFalse(barrier.isBroken());
  }

  /**
   * A TCP client's condition waits and signals at the manager's hub (no shared memory there), and
   * still hands turns back and forth with a child JVM doing the same.
   */
  @Test
  void aTcpClientsCondition_handsTurnsThroughTheHub() throws Exception {
    Manager client = Manager.connect(server.address(), KEY);
    ProcessLock lock = client.rlock();
    ProcessCondition cond = client.condition(lock);
    ManagedMap<String, Integer> turn = client.dict();
    turn.put("turn", 0);
    int rounds = 30;
    JvmProcess other =
        new JvmProcess(
                () -> {
                  lock.lock();
                  try {
                    for (int i = 1; i <= rounds; i++) {
                      int mine = 2 * i - 1;
                      if (!cond.waitFor(
                          () -> turn.get("turn") == mine - 1, Duration.ofSeconds(30))) {
                        System.exit(3);
                      }
                      turn.put("turn", mine);
                      cond.signalAll();
                    }
                  } finally {
                    lock.unlock();
                  }
                })
            .start();
    lock.lock();
    try {
      for (int i = 1; i <= rounds; i++) {
        int theirs = 2 * i - 1;
        assertTrue(
            cond.waitFor(() -> turn.get("turn") == theirs, Duration.ofSeconds(30)), "round " + i);
        turn.put("turn", theirs + 1);
        cond.signalAll();
      }
    } finally {
      lock.unlock();
    }
    assertTrue(other.join(ChildProcesses.LONG));
    assertEquals(0, other.exitCode().orElseThrow());
    assertEquals(2 * rounds, turn.get("turn"));
  }

  /** F11 over TCP: a client killed while it holds the manager's lock frees it. */
  @Test
  void aTcpClientKilledHoldingTheLock_freesIt_withOwnerDied() throws Exception {
    InetSocketAddress address = server.address();
    Manager client = Manager.connect(address, KEY);
    ProcessLock lock = client.lock();
    ProcessQueue<String> said = new ProcessQueue<>();
    JvmProcess holder =
        new JvmProcess(
                () -> {
                  lock.lock();
                  said.put("holding");
                  Thread.sleep(120_000); // inside a task: until killed
                })
            .start();
    assertEquals("holding", said.get(ChildProcesses.LONG));
    assertTrue(lock.isLocked());
    assertFalse(lock.tryLock());
    ChildProcesses.kill9(holder);
    assertTrue(lock.tryLock(ChildProcesses.LONG.toMillis(), TimeUnit.MILLISECONDS));
    assertTrue(lock.ownerDied());
    lock.unlock();
    assertFalse(lock.isLocked());
    said.close();
  }

  /** F10 over TCP: a connected client's calls fail at once when the manager's JVM dies. */
  @Test
  void whenTheManagerDies_aTcpClientsCallsFailAtOnce() throws Exception {
    Manager doomed =
        Manager.newBuilder().listen(new InetSocketAddress("127.0.0.1", 0), KEY).start();
    Manager client = Manager.connect(doomed.address(), KEY);
    ManagedMap<String, Integer> d = client.dict();
    d.put("a", 1);
    ProcessHandle.of(ChildProcesses.managerPid(doomed)).ifPresent(ProcessHandle::destroyForcibly);
    org.awaitility.Awaitility.await().atMost(ChildProcesses.LONG).until(() -> !doomed.isAlive());
    assertThrows(ManagerUnavailableException.class, () -> d.get("a"));
    assertFalse(client.isAlive());
    doomed.shutdown();
  }
}
