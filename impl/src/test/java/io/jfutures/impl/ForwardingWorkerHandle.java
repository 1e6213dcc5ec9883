package io.jfutures.impl;

import io.jfutures.spi.WorkerExit;
import io.jfutures.spi.WorkerHandle;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A worker handle that forwards every call to another: test launchers override what they bend. */
class ForwardingWorkerHandle implements WorkerHandle {
  private final WorkerHandle delegate;

  ForwardingWorkerHandle(WorkerHandle delegate) {
    this.delegate = delegate;
  }

  @Override
  public InputStream fromWorker() {
    return delegate.fromWorker();
  }

  @Override
  public OutputStream toWorker() {
    return delegate.toWorker();
  }

  @Override
  public long pid() {
    return delegate.pid();
  }

  @Override
  public CompletableFuture<WorkerExit> onExit() {
    return delegate.onExit();
  }

  @Override
  public void kill() {
    delegate.kill();
  }

  @Override
  public List<String> stderrTail() {
    return delegate.stderrTail();
  }
}
