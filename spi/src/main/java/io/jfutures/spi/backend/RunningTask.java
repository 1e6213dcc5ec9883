package io.jfutures.spi.backend;

/** A task a backend has placed on a worker. */
public interface RunningTask {

  /**
   * Stops the task, as far as the backend's capabilities go: {@link
   * BackendCapability#KILL_RUNNING_TASK} ends it whatever it does, {@link
   * BackendCapability#INTERRUPT_RUNNING_TASK} interrupts its thread, and without either this does
   * nothing. Asynchronous, idempotent; never throws.
   */
  void stop();
}
