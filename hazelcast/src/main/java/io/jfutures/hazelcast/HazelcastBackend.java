package io.jfutures.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.impl.clientside.HazelcastClientProxy;
import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import io.jfutures.api.SerializableRunnable;
import io.jfutures.api.WorkerFailure;
import io.jfutures.impl.BackendExecutor;
import io.jfutures.impl.internal.Threads;
import io.jfutures.impl.internal.process.ClassFilter;
import io.jfutures.spi.backend.BackendCapability;
import io.jfutures.spi.backend.BackendListener;
import io.jfutures.spi.backend.BackendTask;
import io.jfutures.spi.backend.BackendWorker;
import io.jfutures.spi.backend.ExecutorBackend;
import io.jfutures.spi.backend.RunningTask;
import io.jfutures.spi.backend.TaskCallback;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Runs a {@link BackendExecutor}'s tasks on the members of a Hazelcast cluster: each data member is
 * a worker, with as many slots as it declares ({@link HazelcastWorkers#SLOTS}; the submitting JVM's
 * processor count when it declares none). Tasks travel through the members' executor service named
 * {@value HazelcastWorkers#EXECUTOR}, serialized by jfutures and read on the member through the
 * executor's allow-list.
 *
 * <pre>{@code
 * try (BackendExecutor cluster =
 *     BackendExecutor.newBuilder(HazelcastBackend.client(HazelcastWorkers.clientConfig(
 *             "jfutures", List.of("10.0.0.5:5701", "10.0.0.6:5701"))))
 *         .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER)
 *         .build()) {
 *   cluster.map((Integer x) -> x * x, List.of(1, 2, 3)).forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p><b>What the engine allows.</b> A member's loss is seen within a second of its process dying
 * (its connections close; a silent member takes the heartbeat timeout), and its tasks are lost
 * ({@link TaskCallback#lost}). A running task can be interrupted ({@link
 * BackendCapability#INTERRUPT_RUNNING_TASK}) but not killed: a member runs tasks on threads of its
 * own JVM. An executor's initializer runs once on each member, before the executor's first task
 * there (it travels with each task, and a member keeps, for its life, which initializers it ran);
 * an initializer that fails breaks the executor, as a process pool's does.
 *
 * <pre>
 * States: NEW -> STARTED (start: the instance is made or adopted, the listeners registered)
 *   -> CLOSED (close: the listeners removed; an instance this backend made is shut down).
 * Invariant: members holds exactly the data members reported to the executor as workers and not
 * reported lost.
 * </pre>
 *
 * <p>This class is thread-safe.
 */
public final class HazelcastBackend implements ExecutorBackend {
  /** How long a client waits for its connection to a new member before using it anyway. */
  private static final long CONNECT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private static final ScheduledThreadPoolExecutor TIMER =
      Threads.newTimer("jfutures-hazelcast-connections");

  private final Supplier<HazelcastInstance> instanceSupplier;
  private final boolean owned;
  private final ConcurrentHashMap<UUID, Placed> members = new ConcurrentHashMap<>();
  private volatile HazelcastInstance instance;
  private volatile IExecutorService executor;
  private volatile BackendListener listener;
  private volatile ClassFilter resultFilter;
  private volatile String allowedClasses = "";

  /** The executor's initializer, serialized, and its classes; null without one. Set by start. */
  private volatile byte[] initializerBytes;

  private volatile List<String> initializerClasses = List.of();

  /** The initializer's key on the members, unique to this backend; null without one. */
  private volatile String initKey;

  private volatile UUID membershipRegistration;
  private volatile UUID lifecycleRegistration;
  private volatile boolean closed;

  private HazelcastBackend(Supplier<HazelcastInstance> instanceSupplier, boolean owned) {
    this.instanceSupplier = instanceSupplier;
    this.owned = owned;
  }

  /**
   * A backend whose JVM joins the cluster as a member, started from {@code config} when the
   * executor is built and shut down when it terminates. This member runs tasks too, unless {@code
   * config} makes it a lite member.
   *
   * @param config the member's configuration, as {@link HazelcastWorkers#memberConfig} makes
   * @return a backend that embeds a member
   */
  public static HazelcastBackend embedded(Config config) {
    Objects.requireNonNull(config, "config");
    return new HazelcastBackend(() -> Hazelcast.newHazelcastInstance(config), true);
  }

  /**
   * A backend that connects to an existing cluster as a client, connected when the executor is
   * built and disconnected when it terminates.
   *
   * @param config the client's configuration, as {@link HazelcastWorkers#clientConfig} makes
   * @return a backend that is a client of the cluster
   */
  public static HazelcastBackend client(ClientConfig config) {
    Objects.requireNonNull(config, "config");
    return new HazelcastBackend(() -> HazelcastClient.newHazelcastClient(config), true);
  }

  /**
   * A backend over an instance (member or client) the application manages: the executor neither
   * starts nor shuts it down.
   *
   * @param instance a running member or client
   * @return a backend over that instance
   */
  public static HazelcastBackend using(HazelcastInstance instance) {
    Objects.requireNonNull(instance, "instance");
    return new HazelcastBackend(() -> instance, false);
  }

  @Override
  public String name() {
    return "hazelcast";
  }

  @Override
  public Set<BackendCapability> capabilities() {
    return EnumSet.of(
        BackendCapability.INTERRUPT_RUNNING_TASK, BackendCapability.WORKER_INITIALIZER);
  }

  @Override
  public void start(
      String executorName,
      String allowedClasses,
      SerializableRunnable initializer,
      BackendListener listener)
      throws IOException {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.allowedClasses = allowedClasses;
    this.resultFilter = new ClassFilter(allowedClasses, TaskCodec.ALLOW_METHOD);
    if (initializer != null) {
      Set<String> classes = TaskCodec.newClassSet();
      this.initializerBytes = TaskCodec.write(initializer, classes);
      this.initializerClasses = List.copyOf(classes);
      this.initKey = executorName + "/" + UUID.randomUUID();
    }
    HazelcastInstance hz;
    try {
      hz = instanceSupplier.get();
    } catch (RuntimeException e) {
      throw new IOException("could not join the Hazelcast cluster: " + e.getMessage(), e);
    }
    this.instance = hz;
    this.executor = hz.getExecutorService(HazelcastWorkers.EXECUTOR);
    lifecycleRegistration = hz.getLifecycleService().addLifecycleListener(this::onLifecycle);
    membershipRegistration = hz.getCluster().addMembershipListener(new Membership());
  }

  private void onLifecycle(LifecycleEvent event) {
    if (event.getState() == LifecycleEvent.LifecycleState.SHUTDOWN && !closed) {
      listener.backendFailed(
          new IllegalStateException(
              instance instanceof HazelcastClientProxy
                  ? "the Hazelcast client shut down: it lost its cluster and gave up reconnecting"
                      + " (ClientConfig's cluster connect timeout), or it was shut down"
                  : "the Hazelcast member shut down"));
    }
  }

  /** Reports the data members as workers: those there at start, and those that come and go. */
  private final class Membership implements InitialMembershipListener {
    @Override
    public void init(InitialMembershipEvent event) {
      for (Member m : event.getMembers()) {
        added(m);
      }
    }

    @Override
    public void memberAdded(MembershipEvent event) {
      added(event.getMember());
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      Placed p = members.get(event.getMember().getUuid());
      if (p != null && members.remove(p.member.getUuid(), p)) {
        listener.workerLost(p.worker, p.failure());
      }
    }
  }

  /**
   * A task's outcome was lost with the connection to its member, which is lost to the executor from
   * now: nothing more goes there through a connection that broke. Most often the member died, and
   * leaves the cluster moments later. If it is still a member once this side has a connection to it
   * again, it comes back as a worker (the same id: the executor had forgotten it).
   */
  private void lostMember(Placed p) {
    if (members.remove(p.member.getUuid(), p)) {
      listener.workerLost(p.worker, p.failure());
      TIMER.schedule(() -> added(p.member), 1, TimeUnit.SECONDS);
    }
  }

  private void added(Member m) {
    if (m.isLiteMember() || closed) {
      return;
    }
    if (!isMember(m)) {
      return; // left meanwhile
    }
    if (instance instanceof HazelcastClientProxy client) {
      // A client sends what it has no connection for through another member, whose death would
      // then lose the task too: a member is a worker once this client is connected to it.
      awaitConnection(client, m, System.nanoTime() + CONNECT_WAIT_NANOS);
    } else {
      report(m);
    }
  }

  private void awaitConnection(HazelcastClientProxy client, Member m, long deadline) {
    if (closed || !isMember(m)) {
      return;
    }
    boolean connected;
    try {
      connected = client.client.getConnectionManager().getActiveConnection(m.getUuid()) != null;
    } catch (RuntimeException e) {
      connected = true; // not a client we know the inside of: do without
    }
    if (connected || System.nanoTime() - deadline > 0) {
      report(m);
    } else {
      TIMER.schedule(() -> awaitConnection(client, m, deadline), 50, TimeUnit.MILLISECONDS);
    }
  }

  private boolean isMember(Member m) {
    try {
      return instance.getCluster().getMembers().contains(m);
    } catch (RuntimeException e) {
      return false; // the instance is down
    }
  }

  private void report(Member m) {
    Placed p = new Placed(m, HazelcastWorkers.worker(m));
    if (members.putIfAbsent(m.getUuid(), p) == null) {
      listener.workerAdded(p.worker);
    }
  }

  /** Serializes the task on the submitting thread: one that cannot travel is refused there. */
  @Override
  public Object prepare(Callable<?> call) throws IOException {
    Set<String> classes = TaskCodec.newClassSet();
    byte[] bytes = TaskCodec.write(call, classes);
    ClassFilter filter = resultFilter;
    for (String c : classes) {
      filter.learn(c); // a result of the task's own classes is allowed back
    }
    classes.addAll(initializerClasses); // empty without an initializer
    return new MemberTask(bytes, List.copyOf(classes), allowedClasses, initKey, initializerBytes);
  }

  @Override
  public RunningTask run(BackendWorker worker, BackendTask task, TaskCallback callback) {
    Placed p = members.get(UUID.fromString(worker.id()));
    if (p == null || closed) {
      callback.notRun(failureOf(worker, Duration.ZERO));
      return () -> {};
    }
    Future<byte[]> f;
    try {
      f = executor.submitToMember((MemberTask) task.payload(), p.member);
    } catch (RuntimeException e) {
      if (isLoss(e)) {
        callback.notRun(p.failure()); // refused before it was sent
        return () -> {};
      }
      throw e;
    }
    @SuppressWarnings("unchecked") // Hazelcast's futures are CompletableFutures, member or client
    CompletionStage<byte[]> stage = (CompletionStage<byte[]>) f;
    stage.whenComplete((bytes, failure) -> report(p, bytes, failure, callback));
    return () -> f.cancel(true);
  }

  private void report(Placed p, byte[] bytes, Throwable failure, TaskCallback callback) {
    if (failure != null) {
      Throwable cause = unwrap(failure);
      if (cause instanceof TargetNotMemberException) {
        lostMember(p);
        callback.notRun(p.failure()); // it never reached the member
      } else if (isLoss(cause)) {
        lostMember(p);
        callback.lost(p.failure());
      } else {
        callback.failed(cause); // a cancellation after stop(), or the cluster's own failure
      }
      return;
    }
    p.completed.increment();
    Object value;
    try {
      value = TaskCodec.read(bytes, 1, resultFilter, TaskCodec.loader());
    } catch (Exception | LinkageError e) {
      callback.failed(
          new IllegalStateException(
              "could not read the task's outcome from " + p.worker + ": " + e, e));
      return;
    }
    if (bytes[0] == TaskCodec.RESULT) {
      callback.completed(value);
    } else if (bytes[0] == TaskCodec.INIT_FAILURE) {
      // As a process pool's: an initializer that fails breaks the executor.
      listener.backendFailed(
          new IllegalStateException(
              "the executor's initializer failed on " + p.worker.name() + ": " + value,
              (Throwable) value));
      callback.failed((Throwable) value);
    } else {
      callback.failed((Throwable) value);
    }
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Whether {@code t} says the member went away, rather than the task failing. */
  private static boolean isLoss(Throwable t) {
    return t instanceof MemberLeftException
        || t instanceof TargetDisconnectedException
        || t instanceof TargetNotMemberException
        || t instanceof HazelcastInstanceNotActiveException;
  }

  /** Returns the Hazelcast instance, once started: a member or a client. */
  public HazelcastInstance instance() {
    HazelcastInstance hz = instance;
    if (hz == null) {
      throw new IllegalStateException("the backend has not started: build its executor first");
    }
    return hz;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    HazelcastInstance hz = instance;
    if (hz == null) {
      return;
    }
    try {
      if (membershipRegistration != null) {
        hz.getCluster().removeMembershipListener(membershipRegistration);
      }
      if (lifecycleRegistration != null) {
        hz.getLifecycleService().removeLifecycleListener(lifecycleRegistration);
      }
    } catch (RuntimeException e) {
      // the instance is already down
    }
    if (owned) {
      hz.shutdown();
    }
  }

  @Override
  public String toString() {
    return "HazelcastBackend["
        + (owned ? "owned" : "shared")
        + " instance, "
        + members.size()
        + " members"
        + (closed ? ", closed" : "")
        + "]";
  }

  private static WorkerFailure failureOf(BackendWorker worker, Duration uptime) {
    return new WorkerFailure(worker.name(), worker.pid(), null, null, null, uptime, 0, List.of());
  }

  /** A member as a worker, and what is known of it for a report of its loss. */
  private static final class Placed {
    final Member member;
    final BackendWorker worker;
    final long addedNanos = System.nanoTime();
    final LongAdder completed = new LongAdder(); // for reports only

    Placed(Member member, BackendWorker worker) {
      this.member = member;
      this.worker = worker;
    }

    WorkerFailure failure() {
      return new WorkerFailure(
          worker.name(),
          worker.pid(),
          null,
          null,
          null,
          Duration.ofNanos(System.nanoTime() - addedNanos),
          completed.sum(),
          List.of());
    }
  }
}
