package io.jfutures.junit;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link IsolatedJvm}: in the parent JVM, it runs each isolated test in a
 * child instead of here ({@link IsolatedLaunch}) and skips the lifecycle methods the child runs; in
 * the child ({@link IsolatedTestRun}), it lets everything run as usual.
 *
 * <p>Register it with {@code @IsolatedJvm}, which carries the settings; registering it alone (by
 * {@code @ExtendWith}) isolates nothing.
 */
public final class IsolatedJvmExtension implements InvocationInterceptor {
  /** Creates the extension; JUnit does, for {@link IsolatedJvm}. */
  public IsolatedJvmExtension() {}

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    isolate(invocation, context);
  }

  @Override
  public void interceptTestTemplateMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    isolate(invocation, context);
  }

  @Override
  public <T> T interceptTestFactoryMethod(
      Invocation<T> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    if (!inChild() && settings(context).isPresent()) {
      throw new ExtensionConfigurationException(
          "@IsolatedJvm cannot isolate the @TestFactory "
              + context.getRequiredTestMethod().getName()
              + ": its dynamic tests are made as it runs. Isolate a @Test or a"
              + " @ParameterizedTest instead");
    }
    return invocation.proceed();
  }

  @Override
  public void interceptDynamicTest(
      Invocation<Void> invocation,
      DynamicTestInvocationContext invocationContext,
      ExtensionContext context)
      throws Throwable {
    invocation.proceed();
  }

  @Override
  public void interceptBeforeEachMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    skipIfIsolated(invocation, context);
  }

  @Override
  public void interceptAfterEachMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    skipIfIsolated(invocation, context);
  }

  @Override
  public void interceptBeforeAllMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    skipIfClassIsolated(invocation, context);
  }

  @Override
  public void interceptAfterAllMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    skipIfClassIsolated(invocation, context);
  }

  private static void isolate(Invocation<Void> invocation, ExtensionContext context)
      throws Throwable {
    Optional<IsolatedLaunch.Settings> settings = settings(context);
    if (inChild() || settings.isEmpty()) {
      invocation.proceed();
      return;
    }
    invocation.skip();
    IsolatedLaunch.run(context, settings.get());
  }

  private static void skipIfIsolated(Invocation<Void> invocation, ExtensionContext context)
      throws Throwable {
    if (!inChild() && settings(context).isPresent()) {
      invocation.skip(); // the child runs it, in its own JVM
    } else {
      invocation.proceed();
    }
  }

  private static void skipIfClassIsolated(Invocation<Void> invocation, ExtensionContext context)
      throws Throwable {
    if (!inChild() && !classAnnotations(context).isEmpty()) {
      invocation.skip(); // every test of the class runs in a child, which runs these
    } else {
      invocation.proceed();
    }
  }

  private static boolean inChild() {
    return System.getProperty(IsolatedTestRun.PROPERTY) != null;
  }

  /**
   * The settings of the test of {@code context}, if it is isolated: from the annotations on its
   * method, its class, and the classes around a {@code @Nested} class, the nearest winning.
   */
  static Optional<IsolatedLaunch.Settings> settings(ExtensionContext context) {
    List<IsolatedJvm> found = new ArrayList<>(classAnnotations(context));
    context
        .getTestMethod()
        .flatMap(m -> AnnotationSupport.findAnnotation(m, IsolatedJvm.class))
        .ifPresent(found::add);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    List<String> options = new ArrayList<>();
    Map<String, String> properties = new LinkedHashMap<>();
    long timeout = 0;
    for (IsolatedJvm a : found) { // outermost first
      options.addAll(List.of(a.jvmOptions()));
      for (String p : a.systemProperties()) {
        int eq = p.indexOf('=');
        if (eq <= 0) {
          throw new ExtensionConfigurationException(
              "@IsolatedJvm(systemProperties = \""
                  + p
                  + "\"): a property is written name=value, such as \"user.timezone=UTC\"");
        }
        properties.put(p.substring(0, eq), p.substring(eq + 1));
      }
      if (a.timeoutSeconds() < 1) {
        throw new ExtensionConfigurationException(
            "@IsolatedJvm(timeoutSeconds = "
                + a.timeoutSeconds()
                + "): a test's JVM needs at least 1 second");
      }
      timeout = a.timeoutSeconds();
    }
    return Optional.of(new IsolatedLaunch.Settings(options, properties, timeout));
  }

  /** The annotations on the test's class and the classes around it, outermost first. */
  private static List<IsolatedJvm> classAnnotations(ExtensionContext context) {
    List<IsolatedJvm> found = new ArrayList<>();
    for (Class<?> c = context.getTestClass().orElse(null); c != null; c = c.getEnclosingClass()) {
      AnnotationSupport.findAnnotation((AnnotatedElement) c, IsolatedJvm.class)
          .ifPresent(a -> found.add(0, a));
    }
    return found;
  }
}
