package io.jfutures.spi;

/**
 * How a worker ended.
 *
 * @param exitCode the exit code, or null when the worker has no process exit code (an in-process
 *     worker); on Linux, a process killed by signal N reports 128 + N
 * @param signal the name of the signal that ended the worker, as {@code SIGKILL}, or null
 */
public record WorkerExit(Integer exitCode, String signal) {

  /** An exit with no exit code, as an in-process worker's. */
  public static final WorkerExit UNKNOWN = new WorkerExit(null, null);

  /**
   * Returns the exit of a process with {@code exitCode}, naming the signal when the code is one the
   * JDK reports for a process killed by a signal (129 to 159 on Linux and macOS).
   *
   * @param exitCode the process's exit code
   * @return the exit; its signal is null unless {@code exitCode} is 129 to 159
   */
  public static WorkerExit ofProcessExitCode(int exitCode) {
    return new WorkerExit(
        exitCode, exitCode > 128 && exitCode < 160 ? signalName(exitCode - 128) : null);
  }

  private static String signalName(int signal) {
    switch (signal) {
      case 1:
        return "SIGHUP";
      case 2:
        return "SIGINT";
      case 3:
        return "SIGQUIT";
      case 4:
        return "SIGILL";
      case 6:
        return "SIGABRT";
      case 7:
        return "SIGBUS";
      case 8:
        return "SIGFPE";
      case 9:
        return "SIGKILL";
      case 11:
        return "SIGSEGV";
      case 13:
        return "SIGPIPE";
      case 14:
        return "SIGALRM";
      case 15:
        return "SIGTERM";
      default:
        return "signal " + signal;
    }
  }
}
