package io.jfutures.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Field;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Test classes that {@link IsolatedJvmIT} runs through {@code EngineTestKit}: not tests of their
 * own (the build runs no nested classes). Each records, in a static field, what a fresh JVM would
 * not have.
 */
final class IsolatedCases {
  private IsolatedCases() {}

  /** Checks the annotation's system property, which the JVM that runs the cases does not have. */
  static void checkFreshJvm() {
    assertEquals(
        "from the annotation",
        System.getProperty("case.property"),
        "the annotation's system property");
  }

  static class Passing {
    static int beforeEachRuns;

    @BeforeEach
    void count() {
      beforeEachRuns++;
    }

    @Test
    @IsolatedJvm(systemProperties = "case.property=from the annotation")
    void passes() {
      checkFreshJvm();
      assertEquals(1, beforeEachRuns, "a fresh JVM runs @BeforeEach once");
      System.out.println("printed by the isolated test");
      System.err.println("an error line of the isolated test");
    }

    @Test
    void runsInPlace() {
      assertEquals(null, System.getProperty(IsolatedTestRun.PROPERTY));
    }
  }

  static class Failing {
    @Test
    @IsolatedJvm
    void failsAnAssertion() {
      assertEquals(1, 2, "one is not two");
    }

    @Test
    @IsolatedJvm
    void throwsWhatCannotTravel() {
      throw new Unserializable("a field that cannot be serialized");
    }

    @Test
    @IsolatedJvm
    void isAborted() {
      assumeTrue(false, "not on this machine");
    }
  }

  /** An exception with a field that cannot be serialized. */
  static final class Unserializable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial")
    private final Object notSerializable = new Object();

    Unserializable(String message) {
      super(message);
    }

    @Override
    public String toString() {
      return super.toString() + notSerializable.getClass().getSimpleName();
    }
  }

  static class Crashing {
    @Test
    @IsolatedJvm
    void exits() {
      System.exit(3);
    }

    @Test
    @IsolatedJvm
    void halts() {
      System.err.println("about to halt");
      Runtime.getRuntime().halt(7);
    }

    @Test
    @IsolatedJvm
    void isKilled() throws Exception {
      new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid()))
          .start()
          .waitFor();
      Thread.sleep(60_000); // a task body: SIGKILL ends it first
    }

    @Test
    @IsolatedJvm(jvmOptions = "-XX:-CreateCoredumpOnCrash")
    void hasAFatalError() throws Exception {
      Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
      f.setAccessible(true);
      Object unsafe = f.get(null);
      unsafe.getClass().getMethod("putAddress", long.class, long.class).invoke(unsafe, 0L, 42L);
    }

    @Test
    @IsolatedJvm(timeoutSeconds = 2)
    void runsTooLong() throws Exception {
      Thread.sleep(120_000); // a task body that must take time
    }

    @Test
    void passesInPlace() {}
  }

  @IsolatedJvm(systemProperties = "case.property=from the annotation")
  static class WholeClass {
    static int beforeAllRuns;
    static int tests;

    @BeforeAll
    static void countClass() {
      beforeAllRuns++;
    }

    @Test
    void first() {
      checkFreshJvm();
      assertEquals(1, beforeAllRuns);
      assertEquals(1, ++tests, "each test has a JVM of its own");
    }

    @Test
    void second() {
      checkFreshJvm();
      assertEquals(1, beforeAllRuns);
      assertEquals(1, ++tests, "each test has a JVM of its own");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void parameterized(int n) {
      checkFreshJvm();
      assertEquals(1, ++tests, "invocation " + n + " has a JVM of its own");
    }
  }

  static class BadlyConfigured {
    @Test
    @IsolatedJvm(systemProperties = "no-equals-sign")
    void cannotStart() {}
  }
}
