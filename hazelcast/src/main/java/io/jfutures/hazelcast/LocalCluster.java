package io.jfutures.hazelcast;

import com.hazelcast.client.config.ClientConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cluster of worker members on this machine, each a JVM of its own started with {@link
 * WorkerMember} and this JVM's class path, listening on loopback: try the cluster path of a program
 * on one machine, or test it. Each member leaves when this JVM's end of its standard input closes,
 * so none outlives this JVM, however it ends.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.start(2);
 *     BackendExecutor executor =
 *         BackendExecutor.newBuilder(HazelcastBackend.client(cluster.clientConfig())).build()) {
 *   executor.submit(() -> ProcessHandle.current().pid()).join();   // a member's pid
 * }
 * }</pre>
 *
 * <pre>
 * Each member's slot: NOT STARTED -> RUNNING (startMember: it printed its ready line) -> GONE
 * (it exited, was killed, or close()). A member's port stays its own, so a member started again
 * in its slot rejoins at the same address.
 * </pre>
 *
 * <p>This class is thread-safe.
 */
public final class LocalCluster implements AutoCloseable {
  /** What Hazelcast asks for on Java 17+, to use its faster internal paths. */
  private static final List<String> OPENS =
      List.of(
          "--add-modules",
          "java.se",
          "--add-exports",
          "java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens",
          "java.base/java.lang=ALL-UNNAMED",
          "--add-opens",
          "java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens",
          "java.management/sun.management=ALL-UNNAMED",
          "--add-opens",
          "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  private static final long START_TIMEOUT_SECONDS = 120;

  private final String name = "jfutures-local-" + UUID.randomUUID();
  private final List<Integer> ports;
  private final int slots;
  private final List<String> jvmOptions;
  private final Path logs;
  private final Process[] processes; // guarded by this

  private LocalCluster(int members, int slots, List<String> jvmOptions) throws IOException {
    this.ports = freePorts(members);
    this.slots = slots;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.logs = Files.createTempDirectory("jfutures-local-cluster");
    this.processes = new Process[members];
  }

  /**
   * Starts {@code members} worker members, each running 1 task at a time, and returns once all have
   * joined: the first alone, so that it forms the cluster, then the others at once.
   *
   * @param members how many member JVMs, at least 1
   * @return the running cluster
   * @throws IOException if a member cannot be started or does not join within 2 minutes
   */
  public static LocalCluster start(int members) throws IOException {
    return start(members, 1, List.of("-Xmx256m"));
  }

  /**
   * Starts {@code members} worker members, each running {@code slots} tasks at a time, with {@code
   * jvmOptions} added to each member's JVM.
   *
   * @param members how many member JVMs, at least 1
   * @param slots how many tasks each member runs at once, at least 1
   * @param jvmOptions options for each member's JVM, as {@code -Xmx256m}
   * @return the running cluster
   * @throws IOException if a member cannot be started or does not join within 2 minutes
   */
  public static LocalCluster start(int members, int slots, List<String> jvmOptions)
      throws IOException {
    if (members < 1) {
      throw new IllegalArgumentException("members must be at least 1, was " + members);
    }
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be at least 1, was " + slots);
    }
    LocalCluster cluster = new LocalCluster(members, slots, jvmOptions);
    try {
      cluster.startMembers(List.of(0));
      List<Integer> rest = new ArrayList<>();
      for (int i = 1; i < members; i++) {
        rest.add(i);
      }
      cluster.startMembers(rest);
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Returns the cluster's name, which its members and clients share. */
  public String name() {
    return name;
  }

  /** Returns the members' addresses, as {@code 127.0.0.1:5701}, by member index. */
  public List<String> addresses() {
    List<String> list = new ArrayList<>();
    for (int port : ports) {
      list.add("127.0.0.1:" + port);
    }
    return list;
  }

  /** Returns a configuration for a client of this cluster. */
  public ClientConfig clientConfig() {
    return HazelcastWorkers.clientConfig(name, addresses());
  }

  /**
   * Returns the process of member {@code index}, if it runs.
   *
   * @param index the member's index, from 0
   * @return its process, or null if it is not running
   */
  public synchronized Process process(int index) {
    Process p = processes[check(index)];
    return p != null && p.isAlive() ? p : null;
  }

  /**
   * Starts the members of these indexes that do not run (again, after a kill), at once, and returns
   * once each has joined.
   *
   * @param indexes the members' indexes, from 0
   * @throws IOException if one cannot be started or does not join within 2 minutes
   */
  public void startMembers(List<Integer> indexes) throws IOException {
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    for (int i : indexes) {
      if (process(i) == null) {
        ready.add(launch(i));
      }
    }
    try {
      CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new))
          .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(
          "a member did not join within " + START_TIMEOUT_SECONDS + " s; its log is in " + logs, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while members started", e);
    }
  }

  private CompletableFuture<Void> launch(int index) throws IOException {
    int port = ports.get(index);
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    // The cluster is formed already when a member starts, or it is the first: no need to wait.
    command.add("-Dhazelcast.wait.seconds.before.join=0");
    command.addAll(OPENS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(WorkerMember.class.getName());
    command.addAll(
        List.of(
            "--cluster",
            name,
            "--port",
            Integer.toString(port),
            "--members",
            String.join(",", addresses()),
            "--slots",
            Integer.toString(slots),
            "--exit-with-stdin"));
    Path log = logs.resolve("member-" + index + ".log");
    Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
    synchronized (this) {
      processes[index] = p;
    }
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  if (line.startsWith(WorkerMember.READY)) {
                    ready.complete(null);
                  }
                }
              } catch (IOException e) {
                // the member is gone
              }
              ready.completeExceptionally(
                  new IOException("member " + index + " exited before it joined; see " + log));
            },
            "jfutures-local-member-" + index);
    reader.setDaemon(true);
    reader.start();
    return ready;
  }

  /**
   * Makes every member leave (their standard input closes), and waits up to 30 s for each to exit,
   * killing any that has not. Idempotent.
   */
  @Override
  public void close() {
    List<Process> running = new ArrayList<>();
    synchronized (this) {
      for (int i = 0; i < processes.length; i++) {
        if (processes[i] != null) {
          running.add(processes[i]);
          processes[i] = null;
        }
      }
    }
    for (Process p : running) {
      try {
        p.getOutputStream().close();
      } catch (IOException e) {
        // already closed: the member is leaving anyway
      }
    }
    boolean interrupted = false;
    for (Process p : running) {
      try {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        interrupted = true;
        p.destroyForcibly();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "LocalCluster[" + name + ", " + addresses() + "]";
  }

  /** Where Linux says which ports its outgoing connections take: "32768 60999", say. */
  private static final Path EPHEMERAL_PORTS = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  /** The lowest port {@link #freePorts} takes below the ephemeral range. */
  private static final int LOWEST_PORT = 10_000;

  /**
   * Returns {@code n} ports free now, below the range the system takes outgoing connections' ports
   * from, where they stay free while the members start: a port picked from that range (as a
   * listening socket on port 0 picks) may be taken meanwhile by any connection, even by a member's
   * own attempts to reach a member not yet up at that port (a TCP connection to itself). Where the
   * range is not known, the system picks them.
   */
  static List<Integer> freePorts(int n) {
    int below = ephemeralPortsStart();
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int tries = 0; sockets.size() < n && below > LOWEST_PORT && tries < 1_000; tries++) {
        int port = ThreadLocalRandom.current().nextInt(LOWEST_PORT, below);
        try {
          sockets.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
        } catch (IOException taken) {
          // in use: another
        }
      }
      while (sockets.size() < n) {
        sockets.add(new ServerSocket(0));
      }
      List<Integer> ports = new ArrayList<>();
      for (ServerSocket s : sockets) {
        ports.add(s.getLocalPort());
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException e) {
          // closing a listening socket we made: nothing to do
        }
      }
    }
  }

  /** The first port of the system's range for outgoing connections, or 0 if it is not known. */
  static int ephemeralPortsStart() {
    try {
      // Not Files.readString: it reads one byte of a /proc file, whose size says 0.
      String[] range = Files.readAllLines(EPHEMERAL_PORTS).get(0).trim().split("\\s+");
      return Integer.parseInt(range[0]);
    } catch (IOException | RuntimeException e) {
      return 0; // not Linux, or not readable: the system picks
    }
  }

  /** Checks that {@code index} names a member. */
  private int check(int index) {
    return Objects.checkIndex(index, processes.length);
  }
}
