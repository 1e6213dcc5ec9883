package io.jfutures.impl;

import io.jfutures.impl.internal.process.LocalJvmLauncher;
import io.jfutures.spi.WorkerExit;
import io.jfutures.spi.WorkerHandle;
import io.jfutures.spi.WorkerLauncher;
import io.jfutures.spi.WorkerSpec;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Local child JVMs whose exits the pool learns of only once the test {@link #open opens} the gate:
 * it holds the pool between a worker's death and its handling of it, where a test can make other
 * things happen. (The pool waits 10 s at most for an exit; then it goes on without its code.)
 */
final class GatedExitLauncher implements WorkerLauncher {
  private final WorkerLauncher local = new LocalJvmLauncher();
  private final CompletableFuture<Void> gate = new CompletableFuture<>();

  @Override
  public String name() {
    return "gated-exit";
  }

  /** Lets the pool see every exit, past and future. */
  void open() {
    gate.complete(null);
  }

  @Override
  public WorkerHandle launch(WorkerSpec spec) throws IOException {
    return new ForwardingWorkerHandle(local.launch(spec)) {
      @Override
      public CompletableFuture<WorkerExit> onExit() {
        return super.onExit().thenCombine(gate, (exit, open) -> exit);
      }
    };
  }
}
