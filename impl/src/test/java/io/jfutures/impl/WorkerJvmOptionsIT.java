package io.jfutures.impl;

import static io.jfutures.impl.Awaits.awaitGone;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The user's JVM options come after jfutures' defaults for a worker, and win. */
final class WorkerJvmOptionsIT {

  @Test
  void aCollectorAndAScalingOfTheUsers_win() throws Exception {
    long pid;
    try (ProcessPoolExecutor pool =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(1)
            .jvmOptions(List.of("-XX:+UseParallelGC", "-XX:CompileThresholdScaling=1"))
            .build()) {
      // Two collectors would stop the worker's JVM from starting ("Multiple garbage collectors").
      List<String> collectors =
          pool.submit(
                  () -> {
                    List<String> names = new ArrayList<>();
                    for (GarbageCollectorMXBean gc :
                        ManagementFactory.getGarbageCollectorMXBeans()) {
                      names.add(gc.getName());
                    }
                    return names;
                  })
              .get(60, SECONDS);
      assertTrue(collectors.contains("PS Scavenge"), collectors.toString());
      List<String> args =
          pool.submit(() -> ManagementFactory.getRuntimeMXBean().getInputArguments())
              .get(60, SECONDS);
      assertFalse(
          args.contains("-XX:+UseSerialGC") || args.contains("-XX:+UseG1GC"), args.toString());
      // Ours would multiply theirs on the task's path: left out.
      assertEquals(
          List.of("-XX:CompileThresholdScaling=1"),
          args.stream()
              .filter(a -> a.contains("CompileThresholdScaling"))
              .collect(Collectors.toList()),
          args.toString());
      // The selector provider named (a worker's channel looks up no service), the JDK's own.
      assertEquals(
          java.nio.channels.spi.SelectorProvider.provider().getClass().getName(),
          pool.submit(() -> java.nio.channels.spi.SelectorProvider.provider().getClass().getName())
              .get(60, SECONDS));
      assertTrue(
          args.stream().anyMatch(a -> a.startsWith("-Djava.nio.channels.spi.SelectorProvider=")),
          args.toString());
      pid = pool.workerPids().get(0);
    }
    awaitGone(List.of(pid));
  }
}
