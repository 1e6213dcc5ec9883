package io.jfutures.junit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TestOutcomeTest {
  @Test
  void aSerializableThrowable_travelsAsItIs() {
    IllegalStateException e = new IllegalStateException("as it is");
    assertSame(e, TestOutcome.of(TestOutcome.Status.FAILED, e).thrown());
  }

  @Test
  void oneThatCannotTravel_isReplacedByAnAssertionErrorWithTheSameStory() {
    IsolatedCases.Unserializable cause = new IsolatedCases.Unserializable("the cause");
    RuntimeException top = new RuntimeException("the top", cause);
    top.addSuppressed(new IsolatedCases.Unserializable("suppressed"));
    Throwable travelling = TestOutcome.travelling(new IsolatedCases.Unserializable("outer"));
    assertInstanceOf(AssertionError.class, travelling);
    assertEquals(IsolatedCases.Unserializable.class.getName() + ": outer", travelling.getMessage());

    Throwable wrapped = TestOutcome.travelling(top); // serializable itself, but not its cause
    assertInstanceOf(AssertionError.class, wrapped);
    assertEquals("java.lang.RuntimeException: the top", wrapped.getMessage());
    assertArrayEquals(top.getStackTrace(), wrapped.getStackTrace());
    assertEquals(
        IsolatedCases.Unserializable.class.getName() + ": the cause",
        wrapped.getCause().getMessage());
    assertEquals(1, wrapped.getSuppressed().length);
  }
}
