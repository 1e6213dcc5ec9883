package io.jfutures.impl;

import static io.jfutures.impl.Awaits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.testprograms.ChildPrograms;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pool inside another parent JVM: started from java -cp and java -jar, killed, forgotten. */
final class ParentProgramsIT {
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @Test
  void parentKilledWithSigkillUnderLoad_workersExitWithinASecond() throws Exception {
    Process parent = start(List.of("-cp", System.getProperty("java.class.path")), "pool-and-block");
    List<Long> pids;
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      while (line != null && !line.startsWith("PIDS ")) {
        line = out.readLine();
      }
      assertTrue(line != null, "the parent printed its workers' pids");
      pids =
          Arrays.stream(line.substring(5).split(","))
              .map(Long::valueOf)
              .collect(Collectors.toList());
      assertEquals(2, pids.size());
    } finally {
      parent.destroyForcibly(); // SIGKILL: no shutdown hook runs
    }
    long killed = System.nanoTime();
    assertTrue(parent.waitFor(30, TimeUnit.SECONDS));
    await()
        .atMost(Duration.ofSeconds(1)) // the promise: workers exit within a second
        .until(() -> pids.stream().noneMatch(Awaits::isRunning));
    System.out.printf(
        "workers %s exited %d ms after their parent was killed%n",
        pids, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
  }

  @Test
  void resultTooLargeForTheParentsHeap_failsOnlyItsTask() throws Exception {
    // The parent runs out of memory reading the result: that task fails, its worker is replaced,
    // and the pool (BREAK_POOL by default) goes on, as this is no crash of the worker.
    String out =
        assertOutput(
            start(
                List.of("-Xmx64m", "-cp", System.getProperty("java.class.path")),
                "oversized-result"),
            "NEXT 7");
    assertTrue(
        out.contains("UNREADABLE io.jfutures.api.TaskSerializationException: could not read"), out);
    assertTrue(out.contains("OutOfMemoryError"), out);
  }

  @Test
  void javaCp_runsATask() throws Exception {
    assertOutput(
        start(List.of("-cp", System.getProperty("java.class.path")), "run-task"), "RESULT 42");
  }

  @Test
  void javaJar_runsATask(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("app.jar");
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(Attributes.Name.MAIN_CLASS, ChildPrograms.class.getName());
    main.put(
        Attributes.Name.CLASS_PATH,
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(entry -> Path.of(entry).toUri().toString())
            .collect(Collectors.joining(" ")));
    try (OutputStream file = Files.newOutputStream(jar)) {
      new JarOutputStream(file, manifest).finish(); // the manifest is all there is
    }
    assertOutput(start(List.of("-jar", jar.toString()), "run-task"), "RESULT 42");
  }

  @Test
  void modulePath_runsATask() throws Exception {
    List<String> entries =
        Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    String modules =
        entries.stream()
            .filter(e -> e.endsWith(".jar"))
            .filter(
                e ->
                    Path.of(e)
                        .getFileName()
                        .toString()
                        .matches("(jfutures-|guava-|failureaccess-|commons-lang3-|jspecify-).*"))
            .collect(Collectors.joining(File.pathSeparator));
    String classes =
        entries.stream()
            .filter(e -> !e.endsWith(".jar"))
            .collect(Collectors.joining(File.pathSeparator));
    assertTrue(modules.contains("jfutures-impl"), modules);
    assertOutput(
        start(
            List.of("-p", modules, "--add-modules", "io.jfutures.impl", "-cp", classes),
            "run-task"),
        "RESULT 42");
  }

  @Test
  void forgottenThreadPool_jvmExitsOnceWorkIsDone() throws Exception {
    String out =
        assertOutput(
            start(List.of("-cp", System.getProperty("java.class.path")), "forget-thread-pool"),
            "DONE");
    for (int i = 0; i < 4; i++) {
      assertTrue(out.contains("DONE " + i), out);
    }
  }

  @Test
  void forgottenProcessPool_jvmExitsAfterTheTaskAndLeavesNoWorker() throws Exception {
    assertOutput(
        start(List.of("-cp", System.getProperty("java.class.path")), "forget-process-pool"),
        "CHILD DONE");
  }

  @Test
  void jvmExitWithThePoolOpen_shutsItDown_refusingNewTasksAndCancellingTheRunningOne()
      throws Exception {
    // Before, the hook killed the workers but left the pool accepting work: a task submitted
    // from another hook was accepted, and the running one failed as if its worker had crashed.
    String out =
        assertOutput(
            start(List.of("-cp", System.getProperty("java.class.path")), "exit-with-pool-open"),
            "WARM 1");
    assertTrue(out.contains("REJECTED"), out);
    assertTrue(out.contains("as the JVM is exiting"), out);
    assertTrue(out.contains("CANCELLED"), out);
    assertTrue(!out.contains("terminated abruptly") && !out.contains("Broken"), out);
  }

  private static Process start(List<String> launch, String mode) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(JAVA);
    command.addAll(launch);
    if (!launch.get(0).equals("-jar")) {
      command.add(ChildPrograms.class.getName());
    }
    command.add(mode);
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** Waits for the program to exit by itself with status 0; returns its output. */
  private static String assertOutput(Process program, String expected) throws Exception {
    try {
      String out = new String(program.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(program.waitFor(60, TimeUnit.SECONDS), "exited by itself");
      assertEquals(0, program.exitValue(), out);
      assertTrue(out.contains(expected), out);
      List<ProcessHandle> left = program.descendants().collect(Collectors.toList());
      assertTrue(left.isEmpty(), "left behind: " + left);
      return out;
    } finally {
      program.destroyForcibly();
    }
  }
}
