package io.jfutures.multiprocessing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.impl.internal.process.TrainingStep;
import io.jfutures.multiprocessing.Manager;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class ProcessTrainingTest {
  @Test
  void theTrainingRunFindsTheProcessStep() {
    assertTrue(
        ServiceLoader.load(TrainingStep.class).stream()
            .anyMatch(p -> p.type() == ProcessTraining.class),
        "the class archive's training would not play a process's start");
  }

  @Test
  void theManagersLaunchClasses_itLoadsAreTheManagers() throws Exception {
    for (String name : ProcessTraining.MANAGER_LAUNCH) {
      Class<?> c = Class.forName(name); // a rename would fail the training, and lose the archive
      assertEquals(Manager.class, c.getEnclosingClass(), name);
      assertTrue(java.io.Serializable.class.isAssignableFrom(c), name + " travels in a launch");
    }
  }

  @Test
  void theStepPlaysAChildsStart_andLeavesThisJvmAsItWas() throws Exception {
    new ProcessTraining().train();
    new ProcessTraining().train(); // again: nothing it set up is in the way

    assertFalse(Here.isChild(), "the training made this JVM a process's child");
    assertEquals("MainProcess", Here.current().name());
  }
}
