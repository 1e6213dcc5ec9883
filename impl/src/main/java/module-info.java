/** jfutures executors: ThreadPoolExecutor and ProcessPoolExecutor. */
module io.jfutures.impl {
  requires transitive io.jfutures.spi;
  requires com.google.common;

  exports io.jfutures.impl;

  uses io.jfutures.spi.WorkerLauncher;

  provides io.jfutures.spi.WorkerLauncher with
      io.jfutures.impl.internal.process.LocalJvmLauncher,
      io.jfutures.impl.internal.process.InProcessLauncher;
}
