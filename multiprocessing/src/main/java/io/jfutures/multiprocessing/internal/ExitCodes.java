package io.jfutures.multiprocessing.internal;

import io.jfutures.impl.internal.jvm.ExitStatus;

/**
 * Python's {@code exitcode} from what the parent saw of a child's end: the exit value the JDK
 * reports, the signal the child noted before it exited, whether its shutdown hooks ran, and whether
 * the parent killed it.
 *
 * <p>The JDK reports a process ended by signal N as exit value 128 + N, the same as a process that
 * called {@code System.exit(128 + N)}; and a JVM that receives SIGTERM runs its shutdown hooks and
 * exits 143 itself. So the child says what happened: it notes a SIGTERM, SIGINT or SIGHUP before it
 * exits, and it says when its shutdown hooks run. A value above 128 is then a signal if the child
 * noted that signal, or if its hooks never ran (SIGKILL, a crash's SIGABRT), or if the parent
 * killed it; otherwise it is the status the child gave {@code System.exit}. One case stays
 * ambiguous: {@code Runtime.halt(128 + N)}, which runs no hook, reads as signal N.
 */
public final class ExitCodes {
  private ExitCodes() {}

  /**
   * Returns the exit code in Python's convention: {@code -N} for a process ended by signal N, else
   * its exit status.
   *
   * @param exitValue the exit value the JDK reports
   * @param notedSignal the signal the child noted before exiting, or 0
   * @param hooksRan whether the child said that its shutdown hooks run
   * @param killedByParent whether the parent sent SIGKILL
   */
  public static int of(int exitValue, int notedSignal, boolean hooksRan, boolean killedByParent) {
    int signal = ExitStatus.signalNumber(exitValue);
    if (signal == 0) {
      return exitValue;
    }
    if (notedSignal == signal || !hooksRan || (killedByParent && signal == 9)) {
      return -signal;
    }
    return exitValue;
  }
}
