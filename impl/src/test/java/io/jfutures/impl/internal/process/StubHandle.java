package io.jfutures.impl.internal.process;

import io.jfutures.spi.WorkerExit;
import io.jfutures.spi.WorkerHandle;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A launched worker's handle, as far as the pool's parts look: that it has one, and its kill. */
final class StubHandle implements WorkerHandle {
  boolean killed;

  @Override
  public InputStream fromWorker() {
    return InputStream.nullInputStream();
  }

  @Override
  public OutputStream toWorker() {
    return OutputStream.nullOutputStream();
  }

  @Override
  public long pid() {
    return -1;
  }

  @Override
  public CompletableFuture<WorkerExit> onExit() {
    return new CompletableFuture<>();
  }

  @Override
  public void kill() {
    killed = true;
  }

  @Override
  public List<String> stderrTail() {
    return List.of();
  }
}
