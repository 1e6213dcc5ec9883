package io.jfutures.impl.internal.jvm;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts the background JVMs that make class archives: at the lowest CPU priority, and detached, so
 * that no JVM waits for them. HotSpot's exit waits up to 300 ms for a thread in native code, and a
 * {@link Process}'s reaper thread is one until its process ends: a program that started a maker and
 * then exited was held that long. Detached, the maker is the child of a shell that has already
 * exited. Stateless.
 */
public final class BackgroundProcess {
  /** The shell that starts a detached process. */
  static final Path SHELL = Path.of("/bin/sh");

  /** Where a lower CPU priority comes from; absent on some systems. */
  private static final List<Path> NICE = List.of(Path.of("/usr/bin/nice"), Path.of("/bin/nice"));

  private static final long SHELL_TIMEOUT_SECONDS = 5;

  private BackgroundProcess() {}

  /**
   * Whether {@link #startDetached} can work here: there is a {@code /bin/sh}, and this JVM is not
   * process 1. A detached process is adopted by process 1 when its shell exits; in a container
   * whose process 1 is this JVM (a {@code java} entry point without an init), nothing would reap
   * it, and each such process would be left a zombie until the container ends.
   */
  public static boolean canDetach() {
    return ProcessHandle.current().pid() != 1 && Files.isExecutable(SHELL);
  }

  /**
   * Returns a command line's start that runs it at the lowest CPU priority ({@code nice -n 19}), or
   * an empty one where there is no {@code nice}. A maker runs beside the first pool's workers,
   * whose start it must not slow: niced, it gets about 1.5% of a busy CPU.
   */
  public static List<String> lowPriority() {
    List<String> command = new ArrayList<>();
    NICE.stream()
        .filter(Files::isExecutable)
        .findFirst()
        .ifPresent(nice -> command.addAll(List.of(nice.toString(), "-n", "19")));
    return command;
  }

  /**
   * Starts {@code command} as a background job of {@code /bin/sh}, its input empty and its output
   * discarded, and waits for the shell, which exits at once.
   *
   * @throws IOException if the shell cannot be started or fails
   */
  public static void startDetached(List<String> command) throws IOException, InterruptedException {
    startDetached(SHELL, command);
  }

  /** As {@link #startDetached(List)}, through {@code shell}. */
  static void startDetached(Path shell, List<String> command)
      throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(List.of(shell.toString(), "-c", "\"$@\" &", "sh"));
    line.addAll(command);
    Process process =
        new ProcessBuilder(line)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!process.waitFor(SHELL_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("could not start " + command + " through " + shell);
    }
  }
}
