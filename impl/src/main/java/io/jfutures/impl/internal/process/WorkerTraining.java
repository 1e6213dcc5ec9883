package io.jfutures.impl.internal.process;

import io.jfutures.api.SerializableFunction;
import io.jfutures.impl.internal.Calls;
import io.jfutures.impl.internal.jvm.ArchiveLearning;
import io.jfutures.impl.internal.jvm.ChannelStreams;
import io.jfutures.impl.internal.jvm.ChildPipes;
import io.jfutures.impl.internal.jvm.ChildSide;
import io.jfutures.impl.internal.process.Frames.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StreamCorruptedException;
import java.nio.channels.Pipe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

/**
 * The training run of a worker's ahead-of-time cache (see {@link WorkerClassArchive}): a JVM
 * started with {@code -XX:AOTCacheOutput} runs this main, which plays a pool to a real worker loop
 * ({@link WorkerMain#serve}) over real pipes, as a child JVM's channel is, so that the cache holds
 * the classes, linkage and method profiles a worker's start and its first tasks need. It sends
 * INIT, tasks that return, a {@code map} chunk, a large byte array (a blob each way), tasks that
 * throw, and STOP, and checks every outcome: a training that went wrong exits non-zero, and no
 * cache is kept. With {@value #WITH_STEPS} it then runs each {@link TrainingStep} on the class
 * path: the paths of the other kinds of child JVM, whose archive it trains ({@link
 * WorkerClassArchive.Child#PROCESS}).
 */
public final class WorkerTraining {
  /**
   * Rounds of tasks: enough for the method profiles of the per-task path, a fraction of a second.
   */
  static final int ROUNDS = 200;

  /** The argument that adds the training steps: for a {@code JvmProcess}'s archive. */
  static final String WITH_STEPS = "--with-steps";

  /**
   * The argument before an archive's path: the training then loads, by name and without
   * initializing them, the classes that archive has learned ({@link ArchiveLearning#learned}).
   */
  static final String LEARNED = "--learned";

  private static final long JOIN_TIMEOUT_SECONDS = 30;

  private WorkerTraining() {}

  /**
   * Runs the training and exits 0, or prints what went wrong and exits 1.
   *
   * @param args {@value #WITH_STEPS} for a process's archive, none for a worker's; then {@value
   *     #LEARNED} and the archive's path, for the classes it has learned
   */
  public static void main(String[] args) {
    try {
      train(ROUNDS);
      List<String> arguments = List.of(args);
      if (arguments.contains(WITH_STEPS)) {
        for (TrainingStep step :
            ServiceLoader.load(TrainingStep.class, WorkerTraining.class.getClassLoader())) {
          step.train();
        }
      }
      ArchiveLearning.classes(); // a recording child's: in the archive, not read from the jar
      int learned = arguments.indexOf(LEARNED);
      if (learned >= 0 && learned + 1 < arguments.size()) {
        loadLearned(Path.of(arguments.get(learned + 1)));
      }
    } catch (Exception | Error e) {
      e.printStackTrace();
      ChildSide.exit(1);
    }
    ChildSide.exit(0); // as a child exits: its watchdog's class is in the archive too
  }

  /**
   * Loads each class that {@code archive} has learned, by name, from the class path, without
   * initializing it: no code of the application runs here. A class that is gone or does not link is
   * passed over (the archive then simply lacks it).
   */
  static int loadLearned(Path archive) throws IOException {
    ClassLoader loader = ClassLoader.getSystemClassLoader();
    int loaded = 0;
    for (String name : ArchiveLearning.learned(archive)) {
      if (ArchiveLearning.isLambdaLine(name)) {
        continue; // for the dump's class list, not a class to load
      }
      try {
        Class.forName(name, false, loader);
        loaded++;
      } catch (ClassNotFoundException | LinkageError e) {
        // renamed or removed since a child loaded it, or needs what is not on the class path
      }
    }
    return loaded;
  }

  /**
   * Serves {@code rounds} rounds of tasks to a worker loop on a thread of this JVM.
   *
   * @throws IOException if the channel fails or an outcome is not the one expected
   */
  static void train(int rounds) throws IOException, InterruptedException {
    // A child JVM's start: its pipes, its watch on standard input, the parent's hello.
    if (ChildPipes.available()) {
      ChildSide.rehearseStart();
    }
    Pipe toWorker = Pipe.open();
    Pipe fromWorker = Pipe.open();
    Thread worker =
        new Thread(
            () -> serveQuietly(toWorker.source(), fromWorker.sink()), "jfutures-training-worker");
    worker.setDaemon(true);
    worker.start();
    try {
      playPool(ChannelStreams.in(fromWorker.source()), ChannelStreams.out(toWorker.sink()), rounds);
    } finally {
      ChannelStreams.closeQuietly(toWorker.sink());
      ChannelStreams.closeQuietly(fromWorker.source());
    }
    worker.join(TimeUnit.SECONDS.toMillis(JOIN_TIMEOUT_SECONDS));
    if (worker.isAlive()) {
      throw new IOException("the training worker did not stop");
    }
  }

  private static void serveQuietly(Pipe.SourceChannel fromPool, Pipe.SinkChannel toPool) {
    try {
      WorkerMain.serve(ChannelStreams.in(fromPool), ChannelStreams.out(toPool));
    } catch (IOException e) {
      // the pool side closed: playPool reports what went wrong
    } finally {
      ChannelStreams.closeQuietly(toPool); // the end of stream that playPool waits for
      ChannelStreams.closeQuietly(fromPool);
    }
  }

  private static void playPool(InputStream fromWorker, OutputStream toWorker, int rounds)
      throws IOException {
    ClassFilter filter = new ClassFilter("");
    Codec.ClassTable table = new Codec.ClassTable(filter);
    Codec.ClassIndex index =
        new Codec.ClassIndex(WorkerTraining.class.getClassLoader(), filter, false);
    Frames.Writer writer = new Frames.Writer(toWorker, table);
    Frames.Reader reader = new Frames.Reader(fromWorker, index);

    writer.write(
        Frames.INIT, 0, 0, new WorkerConfig("jfutures-training", null, "", 0).encode(table));
    writer.flush();
    expect(reader.read(), Frames.READY, 0);

    List<Integer> chunk = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      chunk.add(i);
    }
    byte[] bytes = new byte[Codec.BLOB_MIN]; // large enough to travel as a blob
    bytes[7] = 7;
    long id = 0;
    for (int round = 0; round < rounds; round++) {
      // Encoded as the pool encodes tasks.
      writer.write(Frames.TASK, ++id, 0, table.encodeTask(Calls.apply(new Twice(), round)));
      writer.write(Frames.TASK, ++id, 0, table.encodeTask(Calls.chunk(new Twice(), chunk)));
      writer.write(Frames.TASK, ++id, 0, table.encodeTask(Calls.apply(new Same(), bytes)));
      writer.write(Frames.TASK, ++id, 0, table.encodeTask(Calls.apply(new Fails(), "training")));
      // A method reference travels as a serialized lambda: the JDK's classes that read it back.
      writer.write(Frames.TASK, ++id, 0, table.encodeTask(Calls.apply(Math::negateExact, round)));
      writer.flush();
      Object value = decode(index, expect(reader.read(), Frames.RESULT, id - 4));
      check(Integer.valueOf(2 * round).equals(value), "twice(" + round + ") gave " + value);
      List<?> values = (List<?>) decode(index, expect(reader.read(), Frames.RESULT, id - 3));
      check(values.size() == chunk.size() && values.get(7).equals(14), "chunk gave " + values);
      byte[] same = (byte[]) decode(index, expect(reader.read(), Frames.RESULT, id - 2));
      check(java.util.Arrays.equals(bytes, same), "a large array came back changed");
      EncodedThrowable failure =
          (EncodedThrowable) decode(index, expect(reader.read(), Frames.FAILURE, id - 1));
      Throwable thrown = failure.decode(index);
      check(thrown instanceof IllegalArgumentException, "a failing task gave " + thrown);
      Object negated = decode(index, expect(reader.read(), Frames.RESULT, id));
      check(Integer.valueOf(-round).equals(negated), "negateExact(" + round + ") gave " + negated);
    }
    writer.write(Frames.STOP, 0, 0, null);
    writer.flush();
    check(reader.read() == null, "the worker sent more after STOP");
  }

  private static Frame expect(Frame frame, byte type, long id) throws IOException {
    if (frame == null || frame.type() != type || frame.id() != id) {
      throw new StreamCorruptedException(
          "expected frame type " + type + " for task " + id + ", got " + describe(frame));
    }
    return frame;
  }

  private static Object decode(Codec.ClassIndex index, Frame frame) throws IOException {
    try {
      return index.decode(frame);
    } catch (ClassNotFoundException e) {
      throw new IOException("training: " + e, e);
    }
  }

  private static String describe(Frame frame) {
    return frame == null ? "end of stream" : "type " + frame.type() + " for task " + frame.id();
  }

  private static void check(boolean ok, String what) throws IOException {
    if (!ok) {
      throw new StreamCorruptedException("training: " + what);
    }
  }

  /** A task body the training sends: {@code x -> 2 * x}. */
  static final class Twice implements SerializableFunction<Integer, Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer apply(Integer x) {
      return 2 * x;
    }
  }

  /** A task body that returns its argument: a large array goes and comes back as a blob. */
  static final class Same implements SerializableFunction<byte[], byte[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] apply(byte[] bytes) {
      return bytes;
    }
  }

  /** A task body that throws, for the failure path. */
  static final class Fails implements SerializableFunction<String, Object> {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(String s) {
      throw new IllegalArgumentException("expected by the training: " + s);
    }
  }
}
