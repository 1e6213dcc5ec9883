package io.jfutures.multiprocessing.internal;

import io.jfutures.impl.internal.jvm.ChildSide;
import io.jfutures.multiprocessing.JvmProcess;
import io.jfutures.multiprocessing.ProcessInfo;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.util.List;

/**
 * The main class of a {@link JvmProcess}'s child JVM: {@code --connect TARGET
 * daemon|non-daemon|standby}. It connects to its parent, reads the {@link Launch}, runs the
 * process's {@code run()} on its main thread, and exits: 0 when {@code run()} returns, 1 with the
 * stack trace on standard error when it throws, or whatever the target gave {@code System.exit}.
 *
 * <p>A daemon child halts as soon as its parent's JVM is gone (the orphan watch of {@link
 * ChildSide}); a non-daemon child runs on, as in Python. A standby child ({@link Standby}) is a
 * daemon until its launch says what it runs. Before the target runs, the child arranges to tell its
 * parent how it ends ({@link Control}): it notes SIGTERM, SIGINT and SIGHUP before exiting with the
 * JVM's usual status for them, and says when its shutdown hooks run, so that the parent can report
 * Python's exit codes ({@link ExitCodes}).
 */
public final class ProcessMain {
  private static final List<String> NOTED_SIGNALS = List.of("TERM", "INT", "HUP");

  /** With -Djfutures.process.trace=true, the child prints to stderr when it reaches each step. */
  private static final boolean TRACE = Boolean.getBoolean("jfutures.process.trace");

  private static void trace(String step) {
    if (TRACE) {
      // Wall-clock milliseconds, to line up with the parent's clock.
      System.err.println("jfutures-trace " + step + " at " + System.currentTimeMillis());
    }
  }

  /** Where the signal notes go, once connected; before that a signal goes unnoted. */
  private static volatile Control control;

  private ProcessMain() {}

  /** Entry point of a process's child JVM. Not for direct use. */
  public static void main(String[] args) {
    if (args.length != 3 || !args[0].equals("--connect")) {
      System.err.println(
          "usage: ProcessMain --connect pipe:|SOCKET_PATH daemon|non-daemon|standby");
      ChildSide.exit(2);
      return;
    }
    trace("main");
    // The signal handlers, and the classes that decoding the launch needs, are set up on a second
    // thread while this one connects: each costs a cold JVM tens of milliseconds, and the parent
    // leaves the other core idle meanwhile.
    boolean standby = args[2].equals(Standby.MODE);
    Thread prepare = new Thread(() -> prepare(standby), "jfutures-process-prepare");
    prepare.setDaemon(true);
    prepare.start();
    boolean daemon = standby || args[2].equals("daemon");
    Launch launch;
    Control notes;
    ChildSide parent;
    try {
      parent = ChildSide.connect(args[1], daemon);
      trace("connected");
      launch = readLaunch(parent.in());
      trace("decoded launch");
      if (standby && !launch.process().isDaemon()) {
        daemon = false;
        parent.outliveParent();
      }
      notes = new Control(parent.out());
    } catch (IOException | RuntimeException e) {
      System.err.println("jfutures: the process could not read what to run from its parent:");
      e.printStackTrace();
      ChildSide.exit(1);
      return;
    }
    JvmProcess process = launch.process();
    Here.set(
        new ProcessInfo(process.name(), ProcessHandle.current().pid(), daemon), launch.parent());
    // Closing the channel also stops the orphan watch's read: a JVM that exits waits up to 300 ms
    // for a thread blocked in a native read.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  notes.note(Control.HOOKS);
                  parent.close();
                },
                "jfutures-exit-note"));
    control = notes;
    joinUninterruptibly(prepare);
    trace("prepared");
    int code = 0;
    try {
      process.run();
    } catch (Throwable t) {
      System.err.println("Process " + process.name() + ":");
      t.printStackTrace();
      code = 1;
    }
    System.out.flush();
    System.err.flush();
    ChildSide.exit(code);
  }

  /** Reads the launch the parent sends: its length, then its bytes. */
  static Launch readLaunch(InputStream fromParent) throws IOException {
    DataInputStream in = new DataInputStream(fromParent);
    byte[] data = new byte[in.readInt()];
    in.readFully(data);
    return Launch.fromBytes(data);
  }

  private static void prepare(boolean standby) {
    noteSignals();
    // What reading the launch needs first: the filter's configuration, and the process class.
    ObjectInputFilter.Config.getSerialFilter();
    try {
      Class.forName(JvmProcess.class.getName(), true, ProcessMain.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      // cannot be: it is this module's own
    }
    if (standby) {
      // A spare has time before its launch comes: it plays a start through (decoding a launch,
      // linking a lambda, running a target), so that the real one finds the JVM warm.
      try {
        new ProcessTraining().train();
      } catch (Exception e) {
        trace("warm-up failed: " + e);
      }
    }
    trace("prepare done");
  }

  private static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Has each noted signal sent to the parent before the JVM exits as it would have ({@link
   * SignalNotes}). A runtime without {@code jdk.unsupported} keeps the JVM's own handling, and the
   * exit code is read from the status alone.
   */
  private static void noteSignals() {
    try {
      SignalNotes.install(NOTED_SIGNALS);
    } catch (LinkageError | RuntimeException e) {
      // no sun.misc.Signal here: exit statuses alone tell
    }
  }

  /** Where a signal's note goes: the channel to the parent, or null before it is connected. */
  static Control control() {
    return control;
  }
}
