package io.jfutures.impl.internal.jvm;

import io.jfutures.impl.internal.PrivateDirectories;
import io.jfutures.impl.internal.RandomBytes;
import io.jfutures.impl.internal.Threads;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
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
import java.util.regex.Pattern;

/**
 * A child JVM started with a private channel to it: the one way jfutures starts a JVM, for a pool's
 * workers and for a {@code JvmProcess} alike.
 *
 * <p>On Linux the channel is two pipes the child makes and this JVM opens through {@code /proc}
 * ({@link ChildPipes}). Elsewhere, or with {@code -D}{@value #CHANNEL_PROPERTY}{@code =socket}, it
 * is a Unix-domain socket in a directory only this user can enter, made for one child and deleted
 * once it has connected; the child proves itself with a random token it reads on its standard
 * input, so nothing else can take its place. Standard input stays open for the child's life: a
 * child that watches it ({@link ChildSide}) learns at once that its parent is gone, however the
 * parent ended. The child's standard output and error are copied to this JVM's, line by line, and
 * the last lines of standard error are kept for crash reports, with the banner of a JVM fatal
 * error, which the JVM prints on standard output.
 *
 * <pre>
 * States: STARTING  (launch() returned: process started, waiting for its connection)
 *      -> CONNECTED (awaitConnected() returned; start() does both)
 *      -> EXITED    (onExit() completed: the process ended and its output was read, or 1 s passed)
 * A child that exits or overruns its start timeout while STARTING makes awaitConnected() throw,
 * with its exit code and the end of its standard error, and is killed.
 * </pre>
 *
 * Thread-safe.
 */
public final class ChildJvm {
  /** {@code socket} or {@code pipe}: the channel to children; by default pipes where possible. */
  public static final String CHANNEL_PROPERTY = "jfutures.channel";

  private static final int STDERR_TAIL_LINES = 20;
  private static final String FATAL_ERROR_BANNER = "# A fatal error has been detected by the Java";

  /**
   * What a JVM prints on standard output as it reads a {@code -XX:CompilerDirectivesFile} at start
   * ("1 compiler directives added"), before any of the child's own output: not the child's output.
   */
  private static final Pattern DIRECTIVES_NOTICE =
      Pattern.compile("\\d+ compiler directives added");

  /** The option that names a compiler directives file; the JVM notes reading it on stdout. */
  public static final String DIRECTIVES_FILE_OPTION = "-XX:CompilerDirectivesFile=";

  /**
   * Closes the server of a child that takes too long to connect, and bounds the wait for a dead
   * child's last output. Its thread ends after a second idle: a program whose launcher waits for
   * its threads to end (as {@code mvn exec:java} does) is not held up by it, as it was by {@code
   * CompletableFuture.delayedExecutor}'s, which never ends.
   */
  private static final ScheduledThreadPoolExecutor TIMEOUTS =
      Threads.newTimer("jfutures-child-jvm-timeout");

  private final String name;
  private final ChildJvmSpec spec;
  private final Process process;
  private final ArrayDeque<String> stderrTail = new ArrayDeque<>(); // guarded by "this"
  private final CompletableFuture<Void> outputDone = new CompletableFuture<>();
  private final CompletableFuture<Integer> exit;

  /** The channel's two ends (one socket for both, or two pipes); null until connected. */
  private volatile Ends ends;

  /**
   * For a child that connects over pipes: the descriptors it announced on standard output; fails if
   * it exits or overruns its start timeout first.
   */
  private final CompletableFuture<int[]> announced = new CompletableFuture<>();

  private final boolean pipes;

  /** Set by launch(), taken by the first awaitConnected(). Guarded by connectLock. */
  private Connecting connecting;

  /** Why the first awaitConnected() failed. Guarded by connectLock. */
  private IOException connectFailure;

  private final Object connectLock = new Object();

  private InputStream in; // guarded by "this"
  private OutputStream out; // guarded by "this"

  private ChildJvm(ChildJvmSpec spec, Process process, boolean pipes) {
    this.name = spec.name();
    this.spec = spec;
    this.process = process;
    this.pipes = pipes;
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
                  TIMEOUTS.schedule(() -> outputDone.complete(null), 1, TimeUnit.SECONDS);
                  return outputDone;
                })
            .thenApply(v -> process.exitValue());
  }

  /**
   * Starts a child JVM and returns once it has connected. Blocks up to {@code spec.startTimeout()}.
   *
   * @throws IOException if it could not be started, exited before it connected (the message has its
   *     exit code and the end of its standard error), or did not connect in time
   */
  public static ChildJvm start(ChildJvmSpec spec) throws IOException {
    ChildJvm child = launch(spec);
    child.awaitConnected();
    return child;
  }

  /**
   * Starts a child JVM and returns at once, before it has connected: {@link #awaitConnected} waits
   * for that. Its process id is known, and it can be killed, from the start.
   *
   * @throws IOException if its process could not be started
   */
  public static ChildJvm launch(ChildJvmSpec spec) throws IOException {
    String channel = System.getProperty(CHANNEL_PROPERTY, "");
    if (channel.equals("pipe") || (!channel.equals("socket") && ChildPipes.available())) {
      return launchWithPipes(spec);
    }
    Path dir = PrivateDirectories.create(socketParent(), "jfutures-");
    Path socket = dir.resolve("c.sock");
    String token = HexFormat.of().formatHex(newToken());
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    Process process = null;
    try {
      server.bind(UnixDomainSocketAddress.of(socket));
      process = startProcess(spec, socket.toString());
      // Its output is read from the start, so that a child that fails to start says why.
      ChildJvm child = new ChildJvm(spec, process, false);
      // Closing the server wakes accept() if the child dies or takes too long.
      process.onExit().thenRun(() -> ChannelStreams.closeQuietly(server));
      ScheduledFuture<?> timeout =
          TIMEOUTS.schedule(
              () -> ChannelStreams.closeQuietly(server),
              spec.startTimeout().toNanos(),
              TimeUnit.NANOSECONDS);
      synchronized (child.connectLock) {
        child.connecting = new SocketConnecting(server, token, socket, dir, timeout);
      }
      try {
        OutputStream stdin = process.getOutputStream();
        stdin.write((token + "\n").getBytes(StandardCharsets.US_ASCII));
        stdin.flush();
      } catch (IOException e) {
        // it died at once: awaitConnected() reports its exit code and standard error
      }
      return child;
    } catch (IOException | RuntimeException | Error e) {
      if (process != null) {
        process.destroyForcibly();
      }
      ChannelStreams.closeQuietly(server);
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
      throw e;
    }
  }

  /** Starts the child's process, told to connect to {@code target}; its output is not read yet. */
  private static Process startProcess(ChildJvmSpec spec, String target) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command(spec, target));
    builder.environment().putAll(spec.environment());
    builder.environment().put(JvmTree.ENV, JvmTree.id());
    JvmTree.childStarting();
    return builder.start();
  }

  /** Starts a child that connects over pipes ({@link ChildPipes}). */
  private static ChildJvm launchWithPipes(ChildJvmSpec spec) throws IOException {
    Process process = startProcess(spec, ChildPipes.TARGET);
    ChildJvm child = new ChildJvm(spec, process, true);
    IOException gone = new ClosedChannelException();
    process.onExit().thenRun(() -> child.announced.completeExceptionally(gone));
    ScheduledFuture<?> timeout =
        TIMEOUTS.schedule(
            () -> child.announced.completeExceptionally(gone),
            spec.startTimeout().toNanos(),
            TimeUnit.NANOSECONDS);
    synchronized (child.connectLock) {
      child.connecting = new PipesConnecting(timeout);
    }
    return child;
  }

  /**
   * Waits until the child has connected; blocks up to the spec's start timeout from {@link
   * #launch}. The socket and its directory are deleted when it returns. Any number of threads may
   * call it, any number of times: the first accepts the connection, the others wait for it, and
   * once connected it returns at once.
   *
   * @throws IOException if it exited before it connected (the message has its exit code and the end
   *     of its standard error), or did not connect in time; the child is then killed
   */
  public void awaitConnected() throws IOException {
    synchronized (connectLock) {
      if (ends != null) {
        return;
      }
      if (connectFailure != null) {
        throw new IOException(connectFailure.getMessage(), connectFailure);
      }
      Connecting c = connecting;
      connecting = null;
      try {
        ends = c.connect(this);
      } catch (IOException e) {
        // Process.destroy closes the child's output streams, and what it wrote and was not yet
        // read is lost: a child that is exiting on its own (it closed its output, and may not be
        // reaped yet) is given a moment to end first, so that the report says why it exited.
        endOrKill(EXIT_GRACE_MILLIS);
        connectFailure = notConnected(spec, e);
        process.destroyForcibly();
        throw connectFailure;
      } catch (RuntimeException | Error e) {
        process.destroyForcibly();
        connectFailure = new IOException(name + " failed while it connected: " + e, e);
        throw e;
      } finally {
        c.cleanUp();
      }
    }
  }

  /** A connected channel's two ends: one socket for both, or the two pipes. */
  record Ends(ReadableByteChannel fromChild, WritableByteChannel toChild) {
    void closeQuietly() {
      ChannelStreams.closeQuietly(toChild);
      ChannelStreams.closeQuietly(fromChild);
    }
  }

  /** What a launched child needs until it connects. */
  private interface Connecting {
    /** Waits for the child's connection; throws once the child exited or its time is up. */
    Ends connect(ChildJvm child) throws IOException;

    /** Lets go of what connecting needed, connected or not. */
    void cleanUp() throws IOException;
  }

  private record SocketConnecting(
      ServerSocketChannel server, String token, Path socket, Path dir, ScheduledFuture<?> timeout)
      implements Connecting {
    @Override
    public Ends connect(ChildJvm child) throws IOException {
      SocketChannel channel = accept(server, token);
      return new Ends(channel, channel);
    }

    @Override
    public void cleanUp() throws IOException {
      timeout.cancel(false);
      ChannelStreams.closeQuietly(server);
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    }
  }

  private record PipesConnecting(ScheduledFuture<?> timeout) implements Connecting {
    @Override
    public Ends connect(ChildJvm child) throws IOException {
      int[] fds;
      try {
        fds = child.announced.get();
      } catch (ExecutionException e) {
        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while " + child.name + " connected");
      }
      try {
        return ChildPipes.open(child.process.pid(), fds);
      } catch (IOException e) {
        if (!child.process.isAlive()) {
          throw new ClosedChannelException(); // it died meanwhile: its exit code says why
        }
        throw e;
      }
    }

    @Override
    public void cleanUp() {
      timeout.cancel(false);
    }
  }

  private static byte[] newToken() {
    return RandomBytes.of(32);
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

  /**
   * The command line: java, options, paths, main class, {@code --connect TARGET} (the socket's
   * path, or {@link ChildPipes#TARGET}), arguments.
   */
  static List<String> command(ChildJvmSpec spec, String target) {
    List<String> command = new ArrayList<>();
    command.add(spec.javaExecutable().toString());
    command.addAll(spec.jvmOptions());
    if (!spec.classPath().isEmpty()) {
      command.add("-cp");
      command.add(String.join(File.pathSeparator, spec.classPath()));
    }
    if (!spec.modulePath().isEmpty()) {
      command.add("-p");
      command.add(String.join(File.pathSeparator, spec.modulePath()));
      command.add("--add-modules");
      command.add("ALL-MODULE-PATH");
    }
    if (spec.mainModule() != null) {
      command.add("-m");
      command.add(spec.mainModule() + "/" + spec.mainClass());
    } else {
      command.add(spec.mainClass());
    }
    command.add("--connect");
    command.add(target);
    command.addAll(spec.arguments());
    return command;
  }

  private CompletableFuture<Void> pump(
      String threadName, InputStream stream, Charset charset, boolean stderr) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread thread =
        Threads.newDaemonInRootGroup(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(new InputStreamReader(stream, charset))) {
                boolean fatal = false;
                boolean directivesNotice =
                    !stderr
                        && spec.jvmOptions().stream()
                            .anyMatch(o -> o.startsWith(DIRECTIVES_FILE_OPTION));
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  if (directivesNotice) {
                    directivesNotice = false; // the JVM's first line, if any
                    if (DIRECTIVES_NOTICE.matcher(line).matches()) {
                      continue;
                    }
                  }
                  if (pipes && !stderr && !announced.isDone()) {
                    int[] fds = ChildPipes.parseAnnouncement(line);
                    if (fds != null) {
                      announced.complete(fds);
                      line = line.substring(0, line.indexOf(ChildPipes.ANNOUNCEMENT));
                      if (line.isEmpty()) {
                        continue; // the announcement is not the child's output
                      }
                    }
                  }
                  // The JVM prints a fatal error's banner (signal, problematic frame, hs_err
                  // file) on standard output: the crash report wants it with the stderr tail.
                  // Kept before it is printed: printing may block (a test runner's console), and
                  // a report that waits a bounded time for the output must still find the line.
                  fatal = fatal || (!stderr && line.startsWith(FATAL_ERROR_BANNER));
                  if (stderr || (fatal && line.startsWith("#"))) {
                    keep(line);
                  }
                  // Looked up per line: a program (or a test) may replace System.out/err.
                  (stderr ? System.err : System.out).println(line);
                }
              } catch (IOException e) {
                // the child is gone
              } finally {
                announced.completeExceptionally(new EOFException(name + " closed its output"));
                done.complete(null);
              }
            },
            threadName);
    thread.start();
    return done;
  }

  /** How long a child that failed to connect may take to end on its own before it is killed. */
  private static final long EXIT_GRACE_MILLIS = 500;

  /** Waits up to {@code millis} for the process to end, then kills it if it has not. */
  private void endOrKill(long millis) {
    try {
      if (process.waitFor(millis, TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
  }

  /**
   * Says why the child did not connect: its exit code and the end of its standard error (a bad JVM
   * option, say), or, if it is still running, the start timeout.
   */
  private IOException notConnected(ChildJvmSpec spec, IOException cause) {
    int ended;
    try {
      ended = exit.get(2, TimeUnit.SECONDS); // its output is read to the end first
    } catch (TimeoutException | ExecutionException e) {
      return new IOException(spec.name() + " did not connect within " + spec.startTimeout(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new IOException("interrupted while starting " + spec.name(), cause);
    }
    List<String> tail = stderrTail();
    String signal = ExitStatus.signalName(ended);
    return new IOException(
        spec.name()
            + " exited with exit code "
            + ended
            + (signal == null ? "" : " (" + signal + ")")
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

  /** Returns the child's name. */
  public String name() {
    return name;
  }

  /** Returns the stream of bytes the child sends. End-of-file means the child closed or died. */
  public synchronized InputStream in() {
    if (in == null) {
      in = ChannelStreams.in(ends.fromChild());
    }
    return in;
  }

  /** Returns the stream of bytes to the child. */
  public synchronized OutputStream out() {
    if (out == null) {
      out = ChannelStreams.out(ends.toChild());
    }
    return out;
  }

  /** Closes the channel, if connected; the child sees end-of-file. Idempotent. */
  public void closeChannel() {
    Ends e = ends;
    if (e != null) {
      e.closeQuietly();
    }
  }

  /** Returns what it was launched with. */
  public ChildJvmSpec spec() {
    return spec;
  }

  /** Returns the child's process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the child's process still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Returns a future of the child's exit value as the JDK reports it ({@code 128 + N} for a process
   * ended by signal N), completed once it has exited and its output has been copied, or a second
   * after it exited.
   */
  public CompletableFuture<Integer> onExit() {
    return exit;
  }

  /**
   * Asks the child to end: SIGTERM, which runs its shutdown hooks. Never throws. Sent through the
   * process handle: {@code Process.destroy()} also closes the child's standard input, which a child
   * that watches it takes for its parent's death, and halts before its hooks can run.
   */
  public void terminate() {
    process.toHandle().destroy();
  }

  /** Ends the child at once (SIGKILL) and closes the channel. Idempotent; never throws. */
  public void kill() {
    process.destroyForcibly();
    closeChannel();
  }

  /** Returns the last lines the child wrote to its standard error, oldest first. */
  public synchronized List<String> stderrTail() {
    return List.copyOf(stderrTail);
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
