package io.jfutures.hazelcast;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Worker members of a loopback cluster, each in a JVM of its own started with {@link WorkerMember}
 * and this JVM's class path, as a user would start them on other machines. Each exits when this
 * JVM's end of its standard input closes, so none outlives the tests.
 */
final class MemberProcesses {
  /** What Hazelcast asks for on Java 17, to use its faster internal paths. */
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

  final String cluster = "jfutures-it-" + UUID.randomUUID();
  final List<Integer> ports;
  private final int slots;
  private final Path logs;
  private final Map<Integer, Process> running = new ConcurrentHashMap<>();

  MemberProcesses(int members, int slots) {
    this.ports = freePorts(members);
    this.slots = slots;
    try {
      this.logs = Files.createDirectories(Path.of("target", "member-logs"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The members' addresses, as a client's configuration lists them. */
  List<String> addresses() {
    return ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.toList());
  }

  /** Starts the member on each port given, at once, and waits until each has joined. */
  void start(List<Integer> which) throws Exception {
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    for (int port : which) {
      ready.add(launch(port));
    }
    CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
  }

  private CompletableFuture<Void> launch(int port) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Dhazelcast.wait.seconds.before.join=0");
    command.addAll(OPENS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(WorkerMember.class.getName());
    command.addAll(
        List.of(
            "--cluster",
            cluster,
            "--port",
            Integer.toString(port),
            "--members",
            String.join(",", addresses()),
            "--slots",
            Integer.toString(slots),
            "--exit-with-stdin"));
    Process p =
        new ProcessBuilder(command)
            .redirectError(logs.resolve("member-" + port + ".log").toFile())
            .start();
    running.put(port, p);
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
                  new IllegalStateException(
                      "member on port " + port + " exited before it was ready; see " + logs));
            },
            "member-" + port + "-stdout");
    reader.setDaemon(true);
    reader.start();
    return ready;
  }

  /** Returns the process of the member on {@code port}. */
  Process process(int port) {
    return running.get(port);
  }

  /** Kills the member on {@code port} with SIGKILL and waits until it is gone. */
  void kill9(int port) throws Exception {
    Process p = running.remove(port);
    new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start().waitFor();
    p.onExit().get(30, TimeUnit.SECONDS);
  }

  /** Returns the ports of the members that run. */
  List<Integer> live() {
    return ports.stream().filter(running::containsKey).collect(Collectors.toList());
  }

  /** Ends every member (their standard input closes) and waits until each has exited. */
  void close() throws Exception {
    for (Process p : running.values()) {
      p.getOutputStream().close();
    }
    for (Process p : running.values()) {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    running.clear();
  }

  private static List<Integer> freePorts(int n) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
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
          // ignore
        }
      }
    }
  }
}
