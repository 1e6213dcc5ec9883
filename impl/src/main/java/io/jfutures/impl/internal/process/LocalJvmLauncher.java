package io.jfutures.impl.internal.process;

import io.jfutures.impl.internal.Threads;
import io.jfutures.spi.WorkerExit;
import io.jfutures.spi.WorkerHandle;
import io.jfutures.spi.WorkerLauncher;
import io.jfutures.spi.WorkerSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The default launcher, {@code local-jvm}: each worker is a child JVM started with the parent's own
 * {@code java}, class path and module path.
 *
 * <p>The channel is a Unix-domain socket in a directory only this user can enter, created for one
 * worker and deleted once it has connected. The child proves itself with a random token it reads on
 * its standard input, so nothing else can take its place; standard input stays open, and the child
 * halts when it closes, so a child never outlives its parent. The child's standard output and error
 * are copied to the parent's line by line, and the last lines of standard error are kept for crash
 * reports, with the banner of a JVM fatal error, which the JVM prints on standard output.
 */
public final class LocalJvmLauncher implements WorkerLauncher {
  /** The name to select this launcher by. */
  public static final String NAME = "local-jvm";

  private static final int STDERR_TAIL_LINES = 20;
  private static final String FATAL_ERROR_BANNER = "# A fatal error has been detected by the Java";
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Closes the server of a child that takes too long to connect. A timeout is cancelled (and
   * removed) once its child connects or fails, and the thread ends after a second idle: a program
   * whose launcher waits for its threads to end (as {@code mvn exec:java} does) is not held up by
   * it, as it was by {@code CompletableFuture.delayedExecutor}'s, which waits out the full timeout
   * and never ends.
   */
  private static final ScheduledThreadPoolExecutor START_TIMEOUTS =
      Threads.newTimer("jfutures-worker-start-timeout");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public WorkerHandle launch(WorkerSpec spec) throws IOException {
    WorkerMain.trace("pool: launching " + spec.workerName());
    Path dir =
        Files.createTempDirectory(
            socketParent(),
            "jfutures-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path socket = dir.resolve("w.sock");
    String token = HexFormat.of().formatHex(newToken());
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    Process process = null;
    try {
      server.bind(UnixDomainSocketAddress.of(socket));
      ProcessBuilder builder = new ProcessBuilder(command(spec, socket));
      builder.environment().putAll(spec.environment());
      process = builder.start();
      WorkerMain.trace("pool: started " + spec.workerName());
      // Its output is read from the start, so that a child that fails to start says why.
      LocalWorker worker = new LocalWorker(spec.workerName(), process);
      // Closing the server wakes accept() if the child dies or takes too long.
      process.onExit().thenRun(() -> ChannelStreams.closeQuietly(server));
      ScheduledFuture<?> timeout =
          START_TIMEOUTS.schedule(
              () -> ChannelStreams.closeQuietly(server),
              spec.startTimeout().toNanos(),
              TimeUnit.NANOSECONDS);
      try {
        OutputStream stdin = process.getOutputStream();
        stdin.write((token + "\n").getBytes(StandardCharsets.US_ASCII));
        stdin.flush();
        worker.channel = accept(server, token);
      } catch (IOException e) {
        throw worker.notConnected(spec, e);
      } finally {
        timeout.cancel(false);
      }
      WorkerMain.trace("pool: accepted " + spec.workerName());
      return worker;
    } catch (IOException | RuntimeException | Error e) {
      if (process != null) {
        process.destroyForcibly();
      }
      throw e;
    } finally {
      ChannelStreams.closeQuietly(server);
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    }
  }

  private static byte[] newToken() {
    byte[] token = new byte[32];
    RANDOM.nextBytes(token);
    return token;
  }

  /** The socket's directory: the temp dir, unless its path is too long for a socket address. */
  private static Path socketParent() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    return tmp.toAbsolutePath().toString().length() > 60 ? Path.of("/tmp") : tmp;
  }

  /**
   * Returns the child's connection; throws {@link ClosedChannelException} once the server is closed
   * because the child exited or the start timeout passed.
   */
  private static SocketChannel accept(ServerSocketChannel server, String token) throws IOException {
    byte[] expected = (token + "\n").getBytes(StandardCharsets.US_ASCII);
    while (true) {
      SocketChannel channel = server.accept();
      byte[] got = new byte[expected.length];
      InputStream in = ChannelStreams.in(channel);
      int n = 0;
      while (n < got.length) {
        int r = in.read(got, n, got.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
      if (n == got.length && MessageDigest.isEqual(expected, got)) {
        return channel;
      }
      channel.close(); // not our child: ignore it and keep waiting
    }
  }

  private static List<String> command(WorkerSpec spec, Path socket) {
    List<String> command = new ArrayList<>();
    command.add(spec.javaExecutable().toString());
    // Before the spec's options, so that a user's own -XX flag of the same name wins.
    command.addAll(
        WorkerClassArchive.optionsFor(
            spec.javaExecutable(), spec.jvmOptions(), spec.classPath(), spec.modulePath()));
    command.addAll(spec.jvmOptions());
    if (!spec.classPath().isEmpty()) {
      command.add("-cp");
      command.add(String.join(java.io.File.pathSeparator, spec.classPath()));
    }
    boolean modular = !spec.modulePath().isEmpty() && WorkerMain.class.getModule().isNamed();
    if (!spec.modulePath().isEmpty()) {
      command.add("-p");
      command.add(String.join(java.io.File.pathSeparator, spec.modulePath()));
      command.add("--add-modules");
      command.add("ALL-MODULE-PATH");
    }
    if (modular) {
      command.add("-m");
      command.add(WorkerMain.class.getModule().getName() + "/" + spec.mainClass());
    } else {
      command.add(spec.mainClass());
    }
    command.add("--connect");
    command.add(socket.toString());
    return command;
  }

  /** A child JVM and its channel. */
  private static final class LocalWorker implements WorkerHandle {
    private final Process process;
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>(); // guarded by "this"
    private final CompletableFuture<Void> outputDone = new CompletableFuture<>();
    private final CompletableFuture<WorkerExit> exit;
    private volatile SocketChannel channel;
    private InputStream in;
    private OutputStream out;

    LocalWorker(String name, Process process) {
      this.process = process;
      Charset charset = Charset.defaultCharset();
      CompletableFuture.allOf(
              pump(name + "-stdout", process.getInputStream(), charset, false),
              pump(name + "-stderr", process.getErrorStream(), charset, true))
          .whenComplete((r, e) -> outputDone.complete(null));
      this.exit =
          process
              .onExit()
              .thenCompose(
                  p -> {
                    // Not completeOnTimeout: its scheduler's thread never ends.
                    START_TIMEOUTS.schedule(() -> outputDone.complete(null), 1, TimeUnit.SECONDS);
                    return outputDone;
                  })
              .thenApply(v -> WorkerExit.ofProcessExitCode(process.exitValue()));
    }

    private CompletableFuture<Void> pump(
        String threadName, InputStream stream, Charset charset, boolean stderr) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      Thread thread =
          new Thread(
              () -> {
                try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(stream, charset))) {
                  boolean fatal = false;
                  for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    // Looked up per line: a program (or a test) may replace System.out/err.
                    (stderr ? System.err : System.out).println(line);
                    // The JVM prints a fatal error's banner (signal, problematic frame, hs_err
                    // file) on standard output: the crash report wants it with the stderr tail.
                    fatal = fatal || (!stderr && line.startsWith(FATAL_ERROR_BANNER));
                    if (stderr || (fatal && line.startsWith("#"))) {
                      keep(line);
                    }
                  }
                } catch (IOException e) {
                  // the child is gone
                } finally {
                  done.complete(null);
                }
              },
              threadName);
      thread.setDaemon(true);
      thread.start();
      return done;
    }

    /**
     * Says why the child did not connect: its exit code and the end of its standard error (a bad
     * JVM option, say), or, if it is still running, the start timeout.
     */
    IOException notConnected(WorkerSpec spec, IOException cause) {
      WorkerExit ended;
      try {
        ended = exit.get(2, TimeUnit.SECONDS); // its output is read to the end first
      } catch (TimeoutException | ExecutionException e) {
        return new IOException(
            "worker " + spec.workerName() + " did not connect within " + spec.startTimeout(),
            cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new IOException("interrupted while starting worker " + spec.workerName(), cause);
      }
      List<String> tail = stderrTail();
      return new IOException(
          "worker "
              + spec.workerName()
              + " exited with exit code "
              + ended.exitCode()
              + (ended.signal() == null ? "" : " (" + ended.signal() + ")")
              + " before it connected"
              + (tail.isEmpty()
                  ? ""
                  : "; its standard error ends with:\n  " + String.join("\n  ", tail)),
          cause);
    }

    private synchronized void keep(String line) {
      if (stderrTail.size() == STDERR_TAIL_LINES) {
        stderrTail.removeFirst();
      }
      stderrTail.addLast(line);
    }

    @Override
    public synchronized InputStream fromWorker() {
      if (in == null) {
        in = ChannelStreams.in(channel);
      }
      return in;
    }

    @Override
    public synchronized OutputStream toWorker() {
      if (out == null) {
        out = ChannelStreams.out(channel);
      }
      return out;
    }

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public CompletableFuture<WorkerExit> onExit() {
      return exit;
    }

    @Override
    public void kill() {
      process.destroyForcibly();
      SocketChannel c = channel;
      if (c != null) {
        ChannelStreams.closeQuietly(c);
      }
    }

    @Override
    public synchronized List<String> stderrTail() {
      return List.copyOf(stderrTail);
    }
  }
}
