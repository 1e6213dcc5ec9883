package io.jfutures.multiprocessing.internal;

import io.jfutures.impl.internal.jvm.ChildSide;
import io.jfutures.multiprocessing.JvmProcess;
import io.jfutures.multiprocessing.ProcessInfo;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.lang.invoke.LambdaConversionException;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
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
   * Has each noted signal sent to the parent before the JVM exits as it would have: with its
   * shutdown hooks, and status 128 + N. A JVM started with {@code -Xrs}, or one whose signal cannot
   * be handled here, keeps the JVM's own handling, and its exit code is read from the status alone.
   *
   * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}, in every JDK) is reached by
   * reflection and method handles: named in code, every compilation warns that it is internal API
   * (a warning no {@code @SuppressWarnings} reaches, nor, on JDK 25, {@code
   * -XDignore.symbol.file}), and the build treats warnings as errors.
   */
  private static void noteSignals() {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      Object handler = signalHandler();
      for (String name : NOTED_SIGNALS) {
        try {
          handle.invoke(null, signalClass.getConstructor(String.class).newInstance(name), handler);
        } catch (ReflectiveOperationException | RuntimeException e) {
          // the JVM keeps this signal (-Xrs, say): the exit status alone tells
        }
      }
    } catch (ReflectiveOperationException
        | LambdaConversionException
        | RuntimeException
        | LinkageError e) {
      // no sun.misc.Signal here, or no handler could be made: exit statuses alone tell
    }
  }

  /**
   * Returns a {@code sun.misc.SignalHandler} that notes its signal to the parent and exits with the
   * JVM's usual status for it ({@link #onSignal}). Made with {@link LambdaMetafactory}, as a lambda
   * is: a {@code java.lang.reflect.Proxy} was generated and defined at every child's start, 7.5-8
   * ms of CPU in a cold JVM against about 1 (a probe, after the JVM's first lambda).
   *
   * @throws ReflectiveOperationException if this JDK has no {@code sun.misc.Signal}
   * @throws LambdaConversionException if the handler cannot be made
   */
  static Object signalHandler() throws ReflectiveOperationException, LambdaConversionException {
    Class<?> signalClass = Class.forName("sun.misc.Signal");
    Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    MethodHandle number =
        lookup.findVirtual(signalClass, "getNumber", MethodType.methodType(int.class));
    MethodHandle onSignal =
        lookup.findStatic(
            ProcessMain.class,
            "onSignal",
            MethodType.methodType(void.class, MethodHandle.class, Object.class));
    MethodHandle factory =
        LambdaMetafactory.metafactory(
                lookup,
                "handle",
                MethodType.methodType(handlerClass, MethodHandle.class),
                MethodType.methodType(void.class, signalClass),
                onSignal,
                MethodType.methodType(void.class, signalClass))
            .getTarget();
    try {
      return factory.invoke(number);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t); // never: the factory only captures the handle
    }
  }

  /**
   * A noted signal arrived: notes it to the parent, then exits with status 128 + its number, which
   * {@code number} ({@code Signal.getNumber()}) reads.
   */
  private static void onSignal(MethodHandle number, Object signal) {
    int n;
    try {
      n = (int) number.invoke(signal);
    } catch (Throwable t) {
      throw new IllegalStateException("cannot read the signal's number", t); // never: getNumber
    }
    Control notes = control;
    if (notes != null) {
      notes.note(Control.SIGNAL, n);
    }
    System.exit(128 + n);
  }
}
