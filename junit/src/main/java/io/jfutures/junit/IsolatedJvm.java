package io.jfutures.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test in a fresh JVM of its own: on a test method, that test; on a test class, each of its
 * tests, one JVM each. Surefire and Gradle fork a JVM per class or per run at most; this isolates
 * one test from every other, for code that leaves state behind (static caches, system properties,
 * native libraries, {@code System.exit}).
 *
 * <pre>{@code
 * class LegacyParserTest {
 *   @Test
 *   @IsolatedJvm(jvmOptions = "-Xmx64m", systemProperties = "parser.strict=true")
 *   void parsesWithoutTheGlobalCache() {
 *     assertEquals(42, LegacyParser.parse("42"));
 *   }
 * }
 * }</pre>
 *
 * <p>What the IDE or the build sees is what it would see had the test run in place: the test
 * passes, fails with the child's assertion error (message and stack trace), or is aborted by an
 * assumption; the child's standard output and error appear as the test's. In the child, the whole
 * lifecycle runs as it would in a JVM of its own ({@code @BeforeAll}, {@code @BeforeEach}, the
 * test, {@code @AfterEach}, {@code @AfterAll}); in this JVM an isolated test's {@code @BeforeEach}
 * and {@code @AfterEach} methods are skipped, and so are {@code @BeforeAll} and {@code @AfterAll}
 * when the whole class is isolated.
 *
 * <p>If the child ends before the test does ({@code System.exit}, {@code Runtime.halt}, a signal, a
 * fatal error of the JVM) or runs past {@link #timeoutSeconds()}, the test fails with a report that
 * says how the JVM ended, with the end of its standard error and, for a fatal error, the start of
 * its {@code hs_err} file; a JVM that timed out prints its threads first. The other tests go on.
 *
 * <p>The child runs the test with the JUnit Platform's launcher, on this JVM's class path, so the
 * test class, its dependencies and {@code junit-platform-launcher} must be on it (Maven Surefire
 * and Gradle put them there). A test selected by its unique id is found again in the child: plain,
 * nested, parameterized and repeated tests all work.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(IsolatedJvmExtension.class)
public @interface IsolatedJvm {
  /**
   * Options for the child JVM, such as {@code "-Xmx64m"}; a class's come before a method's.
   *
   * @return the options, none by default
   */
  String[] jvmOptions() default {};

  /**
   * System properties for the child JVM, each {@code "name=value"}; a method's win over its
   * class's.
   *
   * @return the properties, none by default
   */
  String[] systemProperties() default {};

  /**
   * How long the child may take, from its start to the end of the test's lifecycle, before it is
   * stopped and the test fails; a method's wins over its class's.
   *
   * @return the limit in seconds, 300 by default; at least 1
   */
  long timeoutSeconds() default 300;
}
