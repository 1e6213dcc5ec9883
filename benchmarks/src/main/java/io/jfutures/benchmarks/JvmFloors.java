package io.jfutures.benchmarks;

import io.jfutures.impl.internal.jvm.ChildJvmOptions;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a child JVM costs before any library code: the floors that process start (P1) is judged
 * against, measured with the same {@code java} in the same run.
 *
 * <ul>
 *   <li>{@code java -version}: the JVM's own start and exit.
 *   <li>The least a JVM that runs a target sent by its parent can do: start with the default
 *       class-data archive and this jar as its class path, connect to the parent's Unix-domain
 *       socket, read one serialized object with {@link ObjectInputStream}, run it (it exits with
 *       the status it carries), as {@link #main} does. No orphan watch, exit notes, filter or
 *       token. It runs with the collector jfutures gives its children ({@link
 *       ChildJvmOptions#collector}).
 * </ul>
 */
final class JvmFloors {
  private JvmFloors() {}

  /** Milliseconds for each of {@code runs} runs of {@code java -version}, after one untimed. */
  static double[] javaVersion(int runs) throws IOException, InterruptedException {
    double[] ms = new double[runs];
    for (int i = -1; i < runs; i++) {
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(java(), "-version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      check(p.waitFor() == 0, "java -version failed");
      if (i >= 0) {
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    return ms;
  }

  /**
   * Milliseconds from starting the least child ({@link #main}) to its exit, for each of {@code
   * runs} runs after one untimed.
   */
  static double[] leastChild(int runs) throws IOException, InterruptedException {
    double[] ms = new double[runs];
    Path dir = Files.createTempDirectory("jfutures-floor");
    try {
      for (int i = -1; i < runs; i++) {
        int code = 1 + (i + 1) % 100;
        Path socket = dir.resolve("floor.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
          server.bind(UnixDomainSocketAddress.of(socket));
          long t0 = System.nanoTime();
          List<String> command =
              new ArrayList<>(
                  List.of(java(), ChildJvmOptions.collector(Runtime.version().feature()), "-cp"));
          command.add(System.getProperty("java.class.path"));
          command.add(JvmFloors.class.getName());
          command.add(socket.toString());
          Process p = new ProcessBuilder(command).inheritIO().start();
          try (SocketChannel child = server.accept();
              ObjectOutputStream out = new ObjectOutputStream(Channels.newOutputStream(child))) {
            out.writeObject(new Exit(code));
            out.flush();
            check(p.waitFor() == code, "the least child exited " + p.exitValue() + ", not " + code);
          }
          if (i >= 0) {
            ms[i] = (System.nanoTime() - t0) / 1e6;
          }
        } finally {
          Files.deleteIfExists(socket);
        }
      }
    } finally {
      Files.deleteIfExists(dir);
    }
    return ms;
  }

  /**
   * The least child: connects to the socket at {@code args[0]}, reads one object and runs it.
   *
   * @param args the parent's socket path
   */
  public static void main(String[] args) throws Exception {
    SocketChannel parent = SocketChannel.open(UnixDomainSocketAddress.of(args[0]));
    Object target = new ObjectInputStream(Channels.newInputStream(parent)).readObject();
    ((Runnable) target).run();
  }

  private static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }

  /**
   * The least child's target: exits with its status. A class, not a record: a cold JVM's first
   * record read costs it tens of milliseconds of method-handle set-up.
   */
  static final class Exit implements Runnable, Serializable {
    private static final long serialVersionUID = 1L;
    private final int code;

    Exit(int code) {
      this.code = code;
    }

    @Override
    public void run() {
      System.exit(code);
    }
  }
}
