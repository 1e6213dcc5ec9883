package io.jfutures.impl.internal.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

final class NativeTrimTest {
  @Test
  void theTrim_isAskedOnlyOfAJdkThatKnowsIt() {
    for (String known : List.of("17.0.9", "17.0.15+6", "21.0.1", "22", "25.0.1+8-LTS")) {
      assertEquals(
          "-XX:TrimNativeHeapInterval=" + NativeTrim.INTERVAL_MILLIS,
          NativeTrim.option(Runtime.Version.parse(known)).orElse(null),
          known);
    }
    for (String unknown : List.of("17", "17.0.8", "18.0.2", "20.0.2", "21")) {
      assertFalse(NativeTrim.option(Runtime.Version.parse(unknown)).isPresent(), unknown);
    }
  }

  @Test
  void thisJdk_knowsTheTrim() {
    // The JDKs this project builds and tests on (17.0.15 and 25) both have it: children that lost
    // it would go unnoticed by the other test.
    assertTrue(NativeTrim.option().isPresent(), Runtime.version().toString());
  }
}
