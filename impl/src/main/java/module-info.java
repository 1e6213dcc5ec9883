/** jfutures executors: ThreadPoolExecutor and ProcessPoolExecutor. */
@SuppressWarnings("module") // the multiprocessing and hazelcast modules are built after this one
module io.jfutures.impl {
  requires transitive io.jfutures.spi;
  requires com.google.common;
  requires java.management; // each pool's PoolMXBean

  exports io.jfutures.impl;
  // The child-JVM layer and the library's threads, for the toolbox built on them.
  exports io.jfutures.impl.internal to
      io.jfutures.multiprocessing,
      io.jfutures.hazelcast;
  exports io.jfutures.impl.internal.jvm to
      io.jfutures.multiprocessing;
  // The workers' class-data archive, which the toolbox's processes map too.
  exports io.jfutures.impl.internal.process to
      io.jfutures.multiprocessing,
      io.jfutures.hazelcast;

  uses io.jfutures.spi.WorkerLauncher;
  uses io.jfutures.impl.internal.process.TrainingStep;

  provides io.jfutures.spi.WorkerLauncher with
      io.jfutures.impl.internal.process.LocalJvmLauncher,
      io.jfutures.impl.internal.process.InProcessLauncher;
}
