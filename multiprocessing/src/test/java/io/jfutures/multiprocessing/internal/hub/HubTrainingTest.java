package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.impl.internal.process.TrainingStep;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The hub's training step: a child's first hub calls, played against this JVM's own hub. */
@Timeout(30)
final class HubTrainingTest {
  @Test
  void trains_throughAClientOfThisJvmsHub() throws Exception {
    new HubTraining().train(); // throws if an item came back changed or a queue was left full
    assertTrue(HubClient.connected(Hub.local().ref()), "it went through a client of the hub");
    assertTrue(HubClient.of(Hub.local().ref()).openLines() > 0, "and a manager's on a call line");
  }

  @Test
  void theArchivesTrainingFindsIt() {
    assertTrue(
        ServiceLoader.load(TrainingStep.class).stream()
            .anyMatch(p -> p.type() == HubTraining.class),
        "registered as a TrainingStep");
  }
}
