package io.jfutures.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hands a test a pool as a parameter: a {@code io.jfutures.impl.ProcessPoolExecutor} or {@code
 * io.jfutures.impl.ThreadPoolExecutor}, built as this annotation says and shut down after the test
 * (or, with {@link Scope#CLASS}, after the test class).
 *
 * <pre>{@code
 * @Test
 * void squares(@TestPool(workers = 2) ProcessPoolExecutor pool) throws Exception {
 *   assertEquals(List.of(1, 4, 9), pool.map(x -> x * x, List.of(1, 2, 3)).toList());
 * }
 * }</pre>
 *
 * <p>After each test of a class that uses it, the extension also checks that the test left no child
 * process and no pool thread running (beyond the class's own pools) and fails the test, naming each
 * one, if it did: a test that forgets to shut down a pool, or a process, is caught at the test that
 * did it rather than as a slow build or a full process table later.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
@ExtendWith(TestPoolExtension.class)
public @interface TestPool {
  /**
   * The most workers (processes or threads) the pool runs at once.
   *
   * @return at least 1; 2 by default
   */
  int workers() default 2;

  /**
   * For a process pool, the tasks a worker runs before it is replaced; 0 for no limit.
   *
   * @return 0 by default
   */
  int maxTasksPerChild() default 0;

  /**
   * For a process pool, options of its worker JVMs, such as {@code "-Xmx64m"}.
   *
   * @return none by default
   */
  String[] jvmOptions() default {};

  /**
   * How long the pool lives.
   *
   * @return {@link Scope#TEST} by default
   */
  Scope scope() default Scope.TEST;

  /** How long a pool lives. */
  enum Scope {
    /** Made for the test and shut down after it. */
    TEST,
    /**
     * Made once for the test class (per parameter settings) and shut down after its last test:
     * cheaper when each test would otherwise start its own worker JVMs.
     */
    CLASS
  }
}
