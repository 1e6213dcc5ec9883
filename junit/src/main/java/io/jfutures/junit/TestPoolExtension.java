package io.jfutures.junit;

import io.jfutures.api.Executor;
import io.jfutures.impl.ProcessPoolExecutor;
import io.jfutures.impl.ThreadPoolExecutor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.AssertionFailedError;

/**
 * The extension behind {@link TestPool}: builds the pools tests ask for, shuts them down after
 * their test or class, and after each test looks for child processes and pool threads the test left
 * running ({@link Leftovers}).
 *
 * <pre>
 * Per test: BEFORE (snapshot of children and pool threads) -> the test, which may resolve pools
 * -> AFTER (its TEST pools shut down, waiting for their workers; then leftovers checked).
 * A CLASS pool lives in the class's store and is shut down when the class's context closes; its
 * worker processes and threads are never counted as leftovers.
 * </pre>
 */
public final class TestPoolExtension
    implements ParameterResolver, BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TestPoolExtension.class);
  private static final AtomicInteger CLASS_POOLS = new AtomicInteger();

  /** Creates the extension; JUnit does, for {@link TestPool}. */
  public TestPoolExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    if (!parameter.isAnnotated(TestPool.class)) {
      return false;
    }
    Class<?> type = parameter.getParameter().getType();
    if (type != ProcessPoolExecutor.class && type != ThreadPoolExecutor.class) {
      throw new ParameterResolutionException(
          "@TestPool gives a parameter of type ProcessPoolExecutor or ThreadPoolExecutor (of"
              + " io.jfutures.impl), not "
              + type.getName()
              + ": declare the parameter as one of those");
    }
    return true;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestPool spec = parameter.findAnnotation(TestPool.class).orElseThrow();
    Class<?> type = parameter.getParameter().getType();
    if (spec.workers() < 1) {
      throw new ParameterResolutionException(
          "@TestPool(workers = " + spec.workers() + "): a pool needs at least 1 worker");
    }
    if (spec.scope() == TestPool.Scope.TEST) {
      Executor pool = build(type, spec, null);
      perTest(context).pools.add(pool);
      return pool;
    }
    ExtensionContext classContext =
        context.getTestMethod().isPresent() ? context.getParent().orElse(context) : context;
    String key =
        type.getName()
            + "|"
            + spec.workers()
            + "|"
            + spec.maxTasksPerChild()
            + "|"
            + String.join(" ", spec.jvmOptions());
    return ClassPools.of(classContext)
        .pools
        .computeIfAbsent(
            key,
            k -> build(type, spec, "jfutures-test-class-pool-" + CLASS_POOLS.incrementAndGet()));
  }

  private static Executor build(Class<?> type, TestPool spec, String threadPrefix) {
    if (type == ThreadPoolExecutor.class) {
      ThreadPoolExecutor.Builder b = ThreadPoolExecutor.newBuilder().maxWorkers(spec.workers());
      if (threadPrefix != null) {
        b.threadNamePrefix(threadPrefix);
      }
      return b.build();
    }
    ProcessPoolExecutor.Builder b = ProcessPoolExecutor.newBuilder().maxWorkers(spec.workers());
    if (spec.maxTasksPerChild() > 0) {
      b.maxTasksPerChild(spec.maxTasksPerChild());
    }
    if (spec.jvmOptions().length > 0) {
      b.jvmOptions(List.of(spec.jvmOptions()));
    }
    return b.build();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NAMESPACE).put(PerTest.class, new PerTest(Leftovers.snapshot()));
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    PerTest test = perTest(context);
    for (Executor pool : test.pools) {
      pool.shutdown(true, true);
    }
    test.pools.clear();
    Set<Long> classWorkers = new HashSet<>();
    List<String> classThreadPrefixes = new ArrayList<>();
    for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
      ClassPools own = c.getStore(NAMESPACE).get(ClassPools.class, ClassPools.class);
      if (own != null) {
        classWorkers.addAll(own.workerPids());
        if (own.hasProcessPool()) {
          classThreadPrefixes.add(Leftovers.PROCESS_POOL_THREADS);
        }
      }
    }
    List<String> left = test.before.leftAfter(classWorkers, classThreadPrefixes);
    if (!left.isEmpty()) {
      throw new AssertionFailedError(
          "the test left running: "
              + String.join("; ", left)
              + ". Shut down each pool (try-with-resources, or shutdown(true, true)), and join or"
              + " kill each JvmProcess, before the test ends");
    }
  }

  private static PerTest perTest(ExtensionContext context) {
    PerTest test = context.getStore(NAMESPACE).get(PerTest.class, PerTest.class);
    if (test == null) { // resolved for a constructor or a lifecycle method: no snapshot then
      test = new PerTest(Leftovers.snapshot());
      context.getStore(NAMESPACE).put(PerTest.class, test);
    }
    return test;
  }

  /** A test's snapshot, and the pools made for it. */
  private static final class PerTest {
    final Leftovers before;
    final List<Executor> pools = new ArrayList<>();

    PerTest(Leftovers before) {
      this.before = before;
    }
  }

  /** A class's pools, by their settings, shut down when the class's context closes. */
  private static final class ClassPools implements ExtensionContext.Store.CloseableResource {
    final Map<String, Executor> pools = new ConcurrentHashMap<>();

    static ClassPools of(ExtensionContext classContext) {
      return classContext
          .getStore(NAMESPACE)
          .getOrComputeIfAbsent(ClassPools.class, k -> new ClassPools(), ClassPools.class);
    }

    List<Long> workerPids() {
      List<Long> pids = new ArrayList<>();
      for (Executor pool : pools.values()) {
        if (pool instanceof ProcessPoolExecutor p) {
          pids.addAll(p.workerPids());
        }
      }
      return pids;
    }

    boolean hasProcessPool() {
      return pools.values().stream().anyMatch(p -> p instanceof ProcessPoolExecutor);
    }

    @Override
    public void close() {
      pools.values().forEach(p -> p.shutdown(true, true));
    }
  }
}
