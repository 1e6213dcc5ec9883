package io.jfutures.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class WorkerExitTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "129, SIGHUP",
    "130, SIGINT",
    "131, SIGQUIT",
    "132, SIGILL",
    "134, SIGABRT",
    "135, SIGBUS",
    "136, SIGFPE",
    "137, SIGKILL",
    "139, SIGSEGV",
    "141, SIGPIPE",
    "142, SIGALRM",
    "143, SIGTERM",
    "133, signal 5",
    "138, signal 10",
    "159, signal 31",
  })
  void ofProcessExitCode_signal_namesIt(int exitCode, String signal) {
    WorkerExit exit = WorkerExit.ofProcessExitCode(exitCode);

    assertEquals(exitCode, exit.exitCode());
    assertEquals(signal, exit.signal());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 127, 128, 160, 255, -1, Integer.MIN_VALUE, Integer.MAX_VALUE})
  void ofProcessExitCode_noSignal(int exitCode) {
    WorkerExit exit = WorkerExit.ofProcessExitCode(exitCode);

    assertEquals(exitCode, exit.exitCode());
    assertNull(exit.signal());
  }

  @Test
  void ofProcessExitCode_sigkill() {
    assertEquals(new WorkerExit(137, "SIGKILL"), WorkerExit.ofProcessExitCode(137));
  }

  @Test
  void ofProcessExitCode_sigterm() {
    assertEquals(new WorkerExit(143, "SIGTERM"), WorkerExit.ofProcessExitCode(143));
  }

  @Test
  void ofProcessExitCode_sigsegv() {
    assertEquals(new WorkerExit(139, "SIGSEGV"), WorkerExit.ofProcessExitCode(139));
  }

  @Test
  void ofProcessExitCode_plainExit() {
    assertEquals(new WorkerExit(3, null), WorkerExit.ofProcessExitCode(3));
  }

  @Test
  void ofProcessExitCode_zero() {
    assertEquals(new WorkerExit(0, null), WorkerExit.ofProcessExitCode(0));
  }

  @Test
  void unknown_hasNeitherCodeNorSignal() {
    assertNull(WorkerExit.UNKNOWN.exitCode());
    assertNull(WorkerExit.UNKNOWN.signal());
    assertEquals(new WorkerExit(null, null), WorkerExit.UNKNOWN);
  }
}
