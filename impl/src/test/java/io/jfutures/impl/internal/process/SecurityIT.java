package io.jfutures.impl.internal.process;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jfutures.api.TaskSerializationException;
import io.jfutures.impl.ProcessPoolExecutor;
import io.jfutures.impl.internal.jvm.ChildJvm;
import io.jfutures.impl.internal.jvm.ChildPipes;
import io.jfutures.spi.WorkerHandle;
import io.jfutures.spi.WorkerLauncher;
import io.jfutures.spi.WorkerSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.commons.collections.functors.InvokerTransformer;
import org.junit.jupiter.api.Test;

/** The channel admits only the pool's own child, and neither side reads classes off the list. */
final class SecurityIT {

  @Test
  void overPipes_onlyThisUserCanOpenAWorkersDescriptors() throws Exception {
    assumeTrue(ChildPipes.available(), "pipes need /proc");
    try (ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(1).build()) {
      long pid = pool.submit(() -> ProcessHandle.current().pid()).get(60, SECONDS);
      Path fds = Path.of("/proc", Long.toString(pid), "fd");
      assertEquals("r-x------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fds)));
      assertEquals(
          Files.getOwner(Path.of("/proc/self")), Files.getOwner(Path.of("/proc", "" + pid)));
    }
  }

  @Test
  void overASocket_aStrangerWithoutTheToken_cannotConnectOrInjectATask() throws Exception {
    System.setProperty(ChildJvm.CHANNEL_PROPERTY, "socket"); // Impostor speaks to a socket
    try {
      strangerWithoutTheToken();
    } finally {
      System.clearProperty(ChildJvm.CHANNEL_PROPERTY);
    }
  }

  private static void strangerWithoutTheToken() throws Exception {
    WorkerLauncher local = new LocalJvmLauncher();
    WorkerLauncher impostorFirst =
        new WorkerLauncher() {
          @Override
          public String name() {
            return "impostor-first";
          }

          @Override
          public WorkerHandle launch(WorkerSpec spec) throws IOException {
            return local.launch(
                new WorkerSpec(
                    spec.workerName(),
                    spec.javaExecutable(),
                    spec.jvmOptions(),
                    spec.classPath(),
                    spec.modulePath(),
                    spec.environment(),
                    Impostor.class.getName(),
                    spec.entryPoint(),
                    spec.startTimeout()));
          }
        };
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (ProcessPoolExecutor pool =
        ProcessPoolExecutor.newBuilder().maxWorkers(1).launcher(impostorFirst).build()) {
      assertEquals(42, pool.submit(() -> 42).get(60, SECONDS));
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("IMPOSTOR dir rwx------"), out);
    assertTrue(out.contains("IMPOSTOR stranger rejected"), out);
    assertFalse(out.contains("ACCEPTED"), out);
  }

  @Test
  void gadgetShapedResult_rejectedBeforeItsReadObjectRuns_workerLivesOn() throws Exception {
    try (ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(1).build()) {
      long pid = pool.submit(() -> ProcessHandle.current().pid()).get(60, SECONDS);
      CompletableFuture<Object> gadget = pool.submit(() -> new InvokerTransformer());
      ExecutionException e = assertThrows(ExecutionException.class, () -> gadget.get(60, SECONDS));
      TaskSerializationException cause =
          assertInstanceOf(TaskSerializationException.class, e.getCause());
      assertTrue(
          cause.getMessage().contains("org.apache.commons.collections.functors.InvokerTransformer"),
          cause.getMessage());
      assertTrue(cause.getMessage().contains("not allowed"), cause.getMessage());
      assertFalse(InvokerTransformer.executed, "its readObject never ran here");
      assertEquals(pid, pool.submit(() -> ProcessHandle.current().pid()).get(60, SECONDS));
    }
  }
}
