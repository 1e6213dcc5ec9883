/** Python's multiprocessing toolbox across child JVMs. */
module io.jfutures.multiprocessing {
  requires transitive io.jfutures.api;
  requires io.jfutures.impl;
  requires com.google.common;
  requires java.management; // the hub's HubMXBean
  requires jdk.unsupported; // sun.misc.Signal: a child notes the signal that ends it

  exports io.jfutures.multiprocessing;

  // The class archive's training plays a process child's start too.
  provides io.jfutures.impl.internal.process.TrainingStep with
      io.jfutures.multiprocessing.internal.ProcessTraining,
      io.jfutures.multiprocessing.internal.hub.HubTraining;
}
