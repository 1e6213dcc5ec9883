package io.jfutures.impl.internal.process;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

/**
 * The training run of a worker's cache drives the real worker loop and checks every outcome; here
 * it runs in this JVM, without making a cache, so that a change to the protocol that breaks it
 * fails a test rather than silently leaving every worker without its cache.
 */
final class WorkerTrainingTest {
  @Test
  void train_servesEveryKindOfTaskAndStops() {
    assertDoesNotThrow(() -> WorkerTraining.train(3));
  }
}
