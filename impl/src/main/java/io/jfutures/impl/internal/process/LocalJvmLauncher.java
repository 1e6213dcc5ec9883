package io.jfutures.impl.internal.process;

import io.jfutures.impl.internal.jvm.ChildJvm;
import io.jfutures.impl.internal.jvm.ChildJvmSpec;
import io.jfutures.spi.WorkerExit;
import io.jfutures.spi.WorkerHandle;
import io.jfutures.spi.WorkerLauncher;
import io.jfutures.spi.WorkerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The default launcher, {@code local-jvm}: each worker is a {@link ChildJvm} started with the
 * parent's own {@code java}, class path and module path, and the worker class archive's options
 * ({@link WorkerClassArchive}). The channel, the token, the output copying and the orphan watch are
 * the child-JVM layer's; this class only says what a worker's JVM runs.
 */
public final class LocalJvmLauncher implements WorkerLauncher {
  /** The name to select this launcher by. */
  public static final String NAME = "local-jvm";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public WorkerHandle launch(WorkerSpec spec) throws IOException {
    WorkerMain.trace("pool: launching " + spec.workerName());
    ChildJvmSpec childSpec = childSpec(spec);
    ChildJvm child = ChildJvm.start(childSpec);
    WorkerMain.trace("pool: accepted " + spec.workerName());
    WorkerClassArchive.checkMapped(childSpec.jvmOptions(), child.pid());
    return new LocalWorker(child);
  }

  static ChildJvmSpec childSpec(WorkerSpec spec) {
    // The archive's options come before the spec's, so that a user's own -XX flag of the same
    // name wins.
    List<String> options =
        new ArrayList<>(
            WorkerClassArchive.optionsFor(
                WorkerClassArchive.Child.WORKER,
                spec.javaExecutable(),
                spec.jvmOptions(),
                spec.classPath(),
                spec.modulePath()));
    options.addAll(spec.jvmOptions());
    boolean modular = !spec.modulePath().isEmpty() && WorkerMain.class.getModule().isNamed();
    return new ChildJvmSpec(
        spec.workerName(),
        spec.javaExecutable(),
        options,
        spec.classPath(),
        spec.modulePath(),
        spec.environment(),
        modular ? WorkerMain.class.getModule().getName() : null,
        spec.mainClass(),
        List.of(),
        spec.startTimeout());
  }

  /** A worker's view of a child JVM. */
  private static final class LocalWorker implements WorkerHandle {
    private final ChildJvm child;
    private final CompletableFuture<WorkerExit> exit;

    LocalWorker(ChildJvm child) {
      this.child = child;
      this.exit = child.onExit().thenApply(WorkerExit::ofProcessExitCode);
    }

    @Override
    public InputStream fromWorker() {
      return child.in();
    }

    @Override
    public OutputStream toWorker() {
      return child.out();
    }

    @Override
    public long pid() {
      return child.pid();
    }

    @Override
    public CompletableFuture<WorkerExit> onExit() {
      return exit;
    }

    @Override
    public void kill() {
      child.kill();
    }

    @Override
    public List<String> stderrTail() {
      return child.stderrTail();
    }
  }
}
