package io.jfutures.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

final class UncheckedTimeoutExceptionTest {

  @Test
  void new_takesCausesMessage() {
    TimeoutException cause = new TimeoutException("3 (of 5) futures unfinished");

    UncheckedTimeoutException e = new UncheckedTimeoutException(cause);

    assertEquals("3 (of 5) futures unfinished", e.getMessage());
    assertSame(cause, e.getCause());
  }

  @Test
  void new_causeWithoutMessage_hasNoMessage() {
    UncheckedTimeoutException e = new UncheckedTimeoutException(new TimeoutException());

    assertNull(e.getMessage());
  }

  @Test
  void new_nullCause_throwsNpe() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> new UncheckedTimeoutException(null));

    assertEquals("cause", e.getMessage());
  }

  @Test
  void initCause_throws() {
    UncheckedTimeoutException e = new UncheckedTimeoutException(new TimeoutException("t"));

    assertThrows(IllegalStateException.class, () -> e.initCause(new TimeoutException()));
  }

  @Test
  void serialization_keepsMessageAndCause() throws Exception {
    UncheckedTimeoutException e = new UncheckedTimeoutException(new TimeoutException("late"));

    UncheckedTimeoutException copy = Reserialize.roundTrip(e, UncheckedTimeoutException.class);

    assertEquals("late", copy.getMessage());
    TimeoutException cause = copy.getCause();
    assertEquals("late", cause.getMessage());
  }
}
