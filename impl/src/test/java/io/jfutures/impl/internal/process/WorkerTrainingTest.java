package io.jfutures.impl.internal.process;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void loadLearned_loadsEachLearnedClassThatExists_withoutInitializingIt(@TempDir Path dir)
      throws Exception {
    Path archive = dir.resolve("worker-x.app.jsa");
    Files.writeString(
        archive.resolveSibling("worker-x.app.jsa.learned"),
        String.join(
            "\n",
            NotInitialized.class.getName(),
            "java.util.concurrent.Exchanger",
            "com.example.GoneSinceItWasLearned",
            ""));
    assertEquals(2, WorkerTraining.loadLearned(archive));
    assertFalse(INITIALIZED.get(), "no static initializer ran");
  }

  private static final AtomicBoolean INITIALIZED = new AtomicBoolean();

  /** A class whose initializer says it ran: loading it by name for an archive must not run it. */
  static final class NotInitialized {
    static {
      INITIALIZED.set(true);
    }
  }
}
