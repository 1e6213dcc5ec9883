package io.jfutures.impl.internal.process;

/**
 * A further step of the training run that makes a worker's class archive ({@link WorkerTraining}),
 * found with {@link java.util.ServiceLoader}: a module built on this one (the toolbox's processes
 * map the same archive) adds the path its own child JVMs take, so that the archive holds their
 * classes too. A step runs in the training JVM after the worker loop's training; it must leave
 * nothing behind (no thread, handler, hook or file), and it throws when an outcome is not the one
 * expected, so that no archive is kept from a training that went wrong.
 */
public interface TrainingStep {
  /**
   * Runs this step.
   *
   * @throws Exception if an outcome is not the one expected
   */
  void train() throws Exception;
}
