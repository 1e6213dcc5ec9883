package io.jfutures.impl.internal.jvm;

import io.jfutures.spi.WorkerExit;

/** What a child JVM's exit value means. */
public final class ExitStatus {
  private ExitStatus() {}

  /**
   * Returns the name of the signal that ended a process whose exit value, as the JDK reports it, is
   * {@code exitValue} (128 + N for signal N), as {@code SIGKILL}; null if it is not such a value.
   */
  public static String signalName(int exitValue) {
    return WorkerExit.ofProcessExitCode(exitValue).signal();
  }

  /**
   * Returns the signal number a process ended by, if {@code exitValue} is one the JDK reports for a
   * process killed by a signal (129 to 159), else 0.
   */
  public static int signalNumber(int exitValue) {
    return exitValue > 128 && exitValue < 160 ? exitValue - 128 : 0;
  }
}
