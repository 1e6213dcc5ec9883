package io.jfutures.impl.internal.process;

import io.jfutures.api.TaskSerializationException;
import io.jfutures.impl.internal.jvm.ChildSide;
import io.jfutures.impl.internal.process.Frames.Frame;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * A worker: the far end of the pool's channel. As a child JVM's main class it connects to the pool
 * ({@code --connect pipe:} or {@code --connect PATH}: see {@link ChildSide#connect}) or speaks on
 * standard input and output ({@code --stdio}); {@link #serve} is the same loop for an in-process
 * worker.
 *
 * <p>The main thread reads the frames, runs tasks one at a time, in order, and is the only writer.
 * Every task it is sent, it runs: the pool counts a task sent to a worker as running (one sent
 * ahead to a busy worker too), and stops one only by killing its worker. It flushes each outcome
 * before it starts the next task, so that when a task kills the JVM, every earlier outcome has
 * reached the pool. A worker of a child JVM exits when its standard input reaches end-of-file,
 * which happens when the pool's JVM dies, however it dies.
 */
public final class WorkerMain {
  private static final Frame END = new Frame((byte) 0, 0, 0, new byte[0]);

  /**
   * With -Djfutures.worker.trace=true, a worker prints to stderr when it reaches each step, and how
   * much CPU its thread has used by then (where {@code /proc} tells).
   */
  private static final boolean TRACE = Boolean.getBoolean("jfutures.worker.trace");

  static void trace(String step) {
    if (TRACE) {
      // Wall-clock milliseconds, to line up with the pool's own clock.
      System.err.println(
          "jfutures-trace " + step + " at " + System.currentTimeMillis() + threadCpu());
    }
  }

  private static String threadCpu() {
    try {
      String nanos = Files.readString(Path.of("/proc/thread-self/schedstat")).split(" ")[0];
      // Not String.format: its first use (Formatter, regular expressions) costs a new JVM about 15
      // ms of CPU, which the next step's figure would then include.
      return " cpu " + Long.parseLong(nanos) / 100_000 / 10.0 + " ms";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private final Frames.Reader reader;
  private final Frames.Writer writer;
  private final Codec.ClassIndex index;
  private final Codec.ClassTable table;
  private final ClassFilter filter;

  private long maxHeapBytes;

  /** Set when this worker must not run another task: after an OutOfMemoryError, say. */
  private String retireReason;

  private WorkerMain(InputStream fromPool, OutputStream toPool) {
    // The filter starts with the defaults and learns the packages the pool sends; INIT adds the
    // user's patterns.
    this.filter = new ClassFilter("");
    this.index = new Codec.ClassIndex(ClassLoader.getSystemClassLoader(), filter, true);
    this.table = new Codec.ClassTable(filter);
    this.reader = new Frames.Reader(fromPool, index);
    this.writer = new Frames.Writer(toPool, table);
  }

  /**
   * Entry point of a worker JVM: {@code --connect pipe:}, {@code --connect PATH} or {@code
   * --stdio}. It always ends the JVM, even when a task left a thread running that would keep it
   * alive.
   */
  public static void main(String[] args) {
    trace("main");
    int code = 0;
    try {
      if (args.length == 2 && args[0].equals("--connect")) {
        // A worker never outlives its pool's JVM.
        try (ChildSide parent = ChildSide.connect(args[1], true)) {
          trace("connected");
          serve(parent.in(), parent.out());
        }
      } else if (args.length == 1 && args[0].equals("--stdio")) {
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        serve(System.in, out);
      } else {
        System.err.println("usage: WorkerMain --connect pipe: | --connect SOCKET_PATH | --stdio");
        code = 2;
      }
    } catch (IOException | RuntimeException | Error e) {
      // The channel failed, or this loop did (an Error while writing an outcome, say).
      e.printStackTrace();
      code = 1;
    }
    trace("exit");
    ChildSide.exit(code);
  }

  /**
   * Serves the pool on this channel until it sends STOP or the channel closes.
   *
   * @throws IOException if the channel fails
   */
  public static void serve(InputStream fromPool, OutputStream toPool) throws IOException {
    new WorkerMain(fromPool, toPool).run();
  }

  private void run() throws IOException {
    try {
      if (!initialize()) {
        return;
      }
      while (true) {
        Frame frame = next();
        if (frame == END || frame.type() == Frames.STOP) {
          trace("stop");
          return;
        }
        if (frame.type() == Frames.TASK) {
          runTask(frame);
          checkHeap();
          if (retireReason != null) {
            writer.write(Frames.RETIRING, 0, 0, null);
            writer.flush();
            System.err.println(Thread.currentThread().getName() + " retires: " + retireReason);
            return;
          }
        }
        // Every outcome leaves before the next task starts: that task may kill this JVM, and
        // the pool takes the oldest task without an outcome to be the one that was running.
        writer.flush();
      }
    } finally {
      try {
        writer.flush();
      } catch (IOException e) {
        // the pool is gone
      }
    }
  }

  /** Returns the next TASK, INIT or STOP frame, or END. */
  private Frame next() throws IOException {
    Frame frame = reader.read();
    return frame == null ? END : frame;
  }

  /** Reads INIT and runs the initializer; returns false if the worker must stop. */
  private boolean initialize() throws IOException {
    Frame init = next();
    if (init == END) {
      return false;
    }
    if (init.type() != Frames.INIT) {
      throw new IOException("expected INIT, got frame type " + init.type());
    }
    try {
      WorkerConfig config = WorkerConfig.decode(init.payload(), index);
      Thread.currentThread().setName(config.workerName());
      filter.setUserPatterns(config.filterPatterns());
      maxHeapBytes = config.maxHeapBytes();
      if (config.initializer() != null) {
        config.initializer().run();
      }
    } catch (Throwable t) {
      writer.write(Frames.INIT_FAILED, 0, 0, table.encode(EncodedThrowable.of(t, table)));
      writer.flush();
      return false;
    }
    // The pool knows this worker's pid from its launch; ProcessHandle's first use costs a JVM 2 ms.
    writer.write(Frames.READY, 0, 0, null);
    writer.flush();
    trace("ready");
    return true;
  }

  private void runTask(Frame frame) throws IOException {
    long id = frame.id();
    long start = System.nanoTime();
    Object result;
    try {
      Callable<?> call;
      try {
        call = (Callable<?>) index.decode(frame);
      } catch (Exception | LinkageError e) {
        throw new TaskSerializationException(
            "the worker could not read task #" + id + ": " + describe(e), e);
      }
      trace("task #" + id + " read");
      result = call.call();
    } catch (Throwable t) {
      fail(id, start, t);
      return;
    } finally {
      Thread.interrupted();
    }
    Codec.Payload payload;
    try {
      payload = table.encodeMessage(result, false);
    } catch (Exception | Error e) {
      if (e instanceof OutOfMemoryError) {
        retireReason = "OutOfMemoryError serializing the result of task #" + id;
      }
      fail(
          id,
          start,
          new TaskSerializationException(
              "the worker could not serialize the result of task #"
                  + id
                  + ", an instance of "
                  + (result == null ? "null" : result.getClass().getName())
                  + ": "
                  + describe(e),
              e));
      return;
    }
    writer.write(Frames.RESULT, id, System.nanoTime() - start, payload);
  }

  /** Retires this worker if its heap in use stays above the limit after a collection. */
  private void checkHeap() {
    if (maxHeapBytes <= 0 || retireReason != null) {
      return;
    }
    Runtime rt = Runtime.getRuntime();
    if (rt.totalMemory() - rt.freeMemory() > maxHeapBytes) {
      System.gc();
      long used = rt.totalMemory() - rt.freeMemory();
      if (used > maxHeapBytes) {
        retireReason = "heap in use " + used + " bytes > limit " + maxHeapBytes;
      }
    }
  }

  private void fail(long id, long start, Throwable t) throws IOException {
    if (t instanceof OutOfMemoryError) {
      // The JVM may be left unusable: report the task's failure, then make way for a new worker.
      retireReason = "OutOfMemoryError in task #" + id;
    }
    writer.write(
        Frames.FAILURE, id, System.nanoTime() - start, table.encode(EncodedThrowable.of(t, table)));
  }

  /** Describes a (de)serialization failure by its most telling cause. */
  static String describe(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
      if (cause instanceof ClassFilter.Rejected) {
        return cause.getMessage();
      }
    }
    if (e instanceof java.io.NotSerializableException) {
      return "class " + e.getMessage() + " is not serializable";
    }
    return e.toString();
  }
}
