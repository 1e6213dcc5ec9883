package io.jfutures.multiprocessing.internal;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A child's handler of the signals that end it (SIGTERM, SIGINT, SIGHUP): notes the signal to the
 * parent, then exits as the JVM would have, with its shutdown hooks and status 128 + N, so that the
 * parent tells a signal from a plain exit of that status.
 *
 * <p>A class of its own, naming {@code sun.misc} (module {@code jdk.unsupported}, in every JDK),
 * rather than a {@code java.lang.reflect.Proxy} made at run time: a proxy class is spun and defined
 * at every child's start (9-11 ms of CPU in a cold JVM, against about 1 for a class from the jar or
 * the class archive). The module compiles with {@code -XDignore.symbol.file} for it: javac warns
 * that {@code sun.misc} is internal API, which no {@code @SuppressWarnings} silences on JDK 17, and
 * the build treats warnings as errors.
 */
final class SignalNotes implements SignalHandler {
  /**
   * Handles {@code names} with a new handler, each that the JVM lets go of: one it keeps ({@code
   * -Xrs}, or a signal it uses itself) is left to it, and the exit code is read from the status
   * alone.
   *
   * @throws LinkageError if this runtime has no {@code jdk.unsupported}
   */
  static void install(Iterable<String> names) {
    SignalNotes handler = new SignalNotes();
    for (String name : names) {
      try {
        Signal.handle(new Signal(name), handler);
      } catch (IllegalArgumentException e) {
        // the JVM keeps this signal: the exit status alone tells
      }
    }
  }

  @Override
  public void handle(Signal signal) {
    int number = signal.getNumber();
    Control notes = ProcessMain.control(); // null before the child is connected: unnoted
    if (notes != null) {
      notes.note(Control.SIGNAL, number);
    }
    System.exit(128 + number);
  }
}
