package io.jfutures.impl;

import static io.jfutures.impl.Awaits.await;
import static io.jfutures.impl.Awaits.awaitFile;
import static io.jfutures.impl.Awaits.awaitGone;
import static io.jfutures.impl.Awaits.awaitNoChildren;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.RemoteTaskException;
import io.jfutures.api.SerializableCallable;
import io.jfutures.api.SerializableFunction;
import io.jfutures.api.TaskSerializationException;
import io.jfutures.api.UncheckedTimeoutException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process pool with real child JVMs; one shared pool of two workers where that is enough. */
final class ProcessPoolExecutorIT {
  private static ProcessPoolExecutor pool;

  @BeforeAll
  static void startPool() {
    pool =
        ProcessPoolExecutor.newBuilder()
            .maxWorkers(2)
            .initializer(() -> System.setProperty("jfutures.test.init", "yes"))
            .build();
  }

  @AfterAll
  static void closePool() {
    pool.close();
    assertTrue(pool.isTerminated());
    awaitNoChildren();
  }

  @Test
  void submit_callable_runsInAChildJvm() throws Exception {
    long pid = pool.submit(() -> ProcessHandle.current().pid()).get(30, SECONDS);
    assertNotEquals(ProcessHandle.current().pid(), pid);
    assertTrue(
        ProcessHandle.current().children().anyMatch(p -> p.pid() == pid), "pid is our child");
  }

  @Test
  void submit_functionRunnableAndInitializer() throws Exception {
    assertEquals(
        "HELLO",
        pool.submit((String s) -> s.toUpperCase(java.util.Locale.ROOT), "hello").get(30, SECONDS));
    assertNull(pool.submit((Runnable & java.io.Serializable) () -> {}).get(30, SECONDS));
    assertEquals(
        "yes", pool.submit(() -> System.getProperty("jfutures.test.init")).get(30, SECONDS));
  }

  @Test
  void largeByteArrays_goAndComeBackIntact_sharedOnesStayShared_andAreCopiedAtSubmit()
      throws Exception {
    byte[] large = new byte[3 << 20]; // travels beside the object stream
    for (int i = 0; i < large.length; i++) {
      large[i] = (byte) (i % 251);
    }
    byte[] expected = large.clone();
    CompletableFuture<byte[][]> f =
        pool.submit(
            (byte[][] in) -> {
              byte[] reversed = new byte[in[0].length];
              for (int i = 0; i < reversed.length; i++) {
                reversed[i] = in[0][in[0].length - 1 - i];
              }
              boolean shared = in[0] == in[1];
              return new byte[][] {reversed, reversed, in[2], {(byte) (shared ? 1 : 0)}};
            },
            new byte[][] {large, large, {1, 2, 3}});
    large[0] = 99; // after submit: the task was encoded with what the array held then
    byte[][] got = f.get(30, SECONDS);
    assertEquals(1, got[3][0], "one array sent twice arrives as one array");
    assertTrue(got[0] == got[1], "one array returned twice comes back as one array");
    for (int i = 0; i < expected.length; i++) {
      if (got[0][i] != expected[expected.length - 1 - i]) {
        throw new AssertionError("byte " + i + " came back as " + got[0][i]);
      }
    }
    assertArrayEquals(new byte[] {1, 2, 3}, got[2]);
  }

  @Test
  void remoteException_keepsClassMessageAndChildStackTrace() {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> pool.submit(ProcessPoolExecutorIT::failDeep).get(30, SECONDS));
    IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, e.getCause());
    assertEquals("deep failure 42", cause.getMessage());
    assertEquals("failDeep", cause.getStackTrace()[0].getMethodName());
    assertTrue(
        List.of(cause.getStackTrace()).stream()
            .anyMatch(f -> f.getClassName().endsWith("WorkerMain")),
        "the trace is the worker's");
  }

  private static Object failDeep() {
    throw new IllegalArgumentException("deep failure 42");
  }

  @Test
  void remoteException_notSerializable_arrivesAsRemoteTaskException() {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                pool.submit(
                        () -> {
                          throw new HoldsAThread("holds a thread");
                        })
                    .get(30, SECONDS));
    RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, e.getCause());
    assertEquals(HoldsAThread.class.getName(), remote.remoteClassName());
    assertTrue(remote.getMessage().contains("holds a thread"), remote.getMessage());
    assertTrue(remote.getStackTrace().length > 0);
  }

  /** An exception that cannot be serialized. */
  static final class HoldsAThread extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // on purpose: it cannot be serialized
    private final Object thread = new Object();

    HoldsAThread(String message) {
      super(message);
    }

    @Override
    public String toString() {
      return super.toString() + thread.hashCode();
    }
  }

  @Test
  void unserializableArgument_isRefusedAtSubmit_andThePoolGoesOn() throws Exception {
    SerializableFunction<Object, String> describe = Object::toString;
    RejectedExecutionException e =
        assertThrows(RejectedExecutionException.class, () -> pool.submit(describe, new Object()));
    assertTrue(e.getMessage().contains("java.lang.Object::toString"), e.getMessage());
    assertTrue(e.getMessage().contains("java.lang.Object is not serializable"), e.getMessage());
    assertInstanceOf(TaskSerializationException.class, e.getCause());
    assertEquals(3, pool.submit(() -> 3).get(30, SECONDS));
  }

  @Test
  void unserializableResult_failsOnlyItsFuture() throws Exception {
    CompletableFuture<Object> f = pool.submit(() -> new Object());
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, SECONDS));
    TaskSerializationException cause =
        assertInstanceOf(TaskSerializationException.class, e.getCause());
    assertTrue(cause.getMessage().contains("java.lang.Object"), cause.getMessage());
    assertEquals(4, pool.submit(() -> 4).get(30, SECONDS));
  }

  @Test
  void resultOfAClassOutsideTheAllowList_rejectedNamingIt() throws Exception {
    // Guava's lists travel as ImmutableList$SerializedForm, a package this JVM never sent.
    CompletableFuture<Object> f =
        pool.submit(() -> com.google.common.collect.ImmutableList.of(1, 2));
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, SECONDS));
    TaskSerializationException cause =
        assertInstanceOf(TaskSerializationException.class, e.getCause());
    assertTrue(cause.getMessage().contains("com.google.common.collect"), cause.getMessage());
    assertTrue(cause.getMessage().contains("allowClasses"), cause.getMessage());
    assertEquals(5, pool.submit(() -> 5).get(30, SECONDS));
  }

  /** A user's value that a task captures: it has no compact form. */
  record Point(int x, int y) implements java.io.Serializable {}

  @Test
  void capturingLambdas_eachRunWithItsOwnValues_whicheverWayTheyTravel() throws Exception {
    // Values of compact forms travel beside the lambda's id; a list or a record captured, in a
    // stream beside it.
    List<CompletableFuture<String>> futures = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int k = i;
      String name = i % 3 == 0 ? null : "n" + i;
      long big = (long) i << 33;
      double half = i / 2.0;
      boolean even = i % 2 == 0;
      List<Integer> list = i % 10 == 0 ? List.of(i, i) : null;
      Point point = i % 7 == 0 ? new Point(i, -i) : null;
      futures.add(
          pool.submit(
              () -> k + ":" + name + ":" + big + ":" + half + ":" + even + ":" + list + point));
      expected.add(k + ":" + name + ":" + big + ":" + half + ":" + even + ":" + list + point);
    }
    for (int i = 0; i < futures.size(); i++) {
      assertEquals(expected.get(i), futures.get(i).get(30, SECONDS));
    }
    List<Integer> shared = new ArrayList<>(List.of(1));
    List<Integer> same = shared;
    assertEquals(true, pool.submit(() -> shared == same).get(30, SECONDS), "one list, as sent");
    long factor = 3;
    assertEquals(21L, pool.submit((Integer x) -> x * factor, 7).get(30, SECONDS));
    List<Integer> input = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
    try (Stream<Long> out = pool.map((Integer x) -> x * factor, input, 100, null)) {
      assertEquals(
          input.stream().map(x -> x * factor).collect(Collectors.toList()),
          out.collect(Collectors.toList()));
    }
  }

  @Test
  void map_ordered_chunkSizes() {
    List<Integer> input = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
    List<Long> expected = input.stream().map(x -> (long) x * x).collect(Collectors.toList());
    for (int chunk : new int[] {1, 7, 100, 5000}) {
      try (Stream<Long> out = pool.map((Integer x) -> (long) x * x, input, chunk, null)) {
        assertEquals(expected, out.collect(Collectors.toList()), "chunkSize " + chunk);
      }
    }
  }

  @Test
  void map_showsWorkerPids_andInfiniteInputIsLazy() {
    Set<Long> pids;
    try (Stream<Long> out =
        pool.map(
            (Integer x) -> ProcessHandle.current().pid(),
            () -> Stream.iterate(0, i -> i + 1).iterator(),
            10,
            null)) {
      pids = out.limit(2000).collect(Collectors.toSet());
    }
    assertFalse(pids.contains(ProcessHandle.current().pid()));
  }

  @Test
  void map_deadlineCountsFromTheCall() {
    // Each item takes 700 ms on one of two workers: the third result is due after about 1.4 s,
    // past a 1 s deadline counted from the call, though no single wait is longer than 700 ms.
    Stream<Integer> out =
        pool.map(
            (Integer x) -> {
              sleep(700); // inside a task: the work takes time
              return x;
            },
            List.of(0, 1, 2, 3),
            1,
            Duration.ofSeconds(1));
    List<Integer> got = new ArrayList<>();
    UncheckedTimeoutException e =
        assertThrows(UncheckedTimeoutException.class, () -> out.forEach(got::add));
    assertTrue(got.size() < 4, "got " + got);
    assertTrue(e.getMessage().contains("PT1S"), e.getMessage());
  }

  @Test
  void invokeAllAndAny() throws Exception {
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int x = i;
      SerializableCallable<Integer> task = () -> x * 10;
      tasks.add(task);
    }
    List<Integer> results = new ArrayList<>();
    for (Future<Integer> f : pool.invokeAll(tasks)) {
      results.add(f.get());
    }
    assertEquals(List.of(0, 10, 20, 30, 40), results);
    assertTrue(results.contains(pool.invokeAny(tasks)));
  }

  @Test
  void childOutput_reachesParentStdoutLineByLine() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      pool.submit(
              () -> {
                System.out.println("line one from the child");
                System.out.println("line two from the child");
                return null;
              })
          .get(30, SECONDS);
      await()
          .until(
              () ->
                  captured
                      .toString(StandardCharsets.UTF_8)
                      .contains("line one from the child" + System.lineSeparator() + "line two"));
    } finally {
      System.setOut(original);
    }
  }

  @Test
  void onDemandStart_sequentialUsesOneWorker_prestartStartsAll() throws Exception {
    List<Long> started = new ArrayList<>();
    try (ProcessPoolExecutor fresh = ProcessPoolExecutor.newBuilder().maxWorkers(3).build()) {
      assertEquals(List.of(), fresh.workerPids());
      Set<Long> pids = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        pids.add(fresh.submit(() -> ProcessHandle.current().pid()).get(30, SECONDS));
      }
      assertEquals(1, pids.size());
      assertEquals(1, fresh.workerPids().size());
      started.addAll(pids);
    }
    try (ProcessPoolExecutor eager =
        ProcessPoolExecutor.newBuilder().maxWorkers(2).prestart().build()) {
      await().until(() -> eager.workerPids().size() == 2);
      started.addAll(eager.workerPids());
    }
    awaitGone(started);
  }

  @Test
  void cancel_queuedTaskNeverRuns_runningNotCancelledWithoutInterrupt(@TempDir Path dir)
      throws Exception {
    String marker = dir.resolve("ran").toString();
    String started = dir.resolve("started").toString();
    try (ProcessPoolExecutor one = ProcessPoolExecutor.newBuilder().maxWorkers(1).build()) {
      CompletableFuture<Integer> blocker =
          one.submit(
              () -> {
                touch(started);
                sleep(1000);
                return 1;
              });
      CompletableFuture<Object> queued = one.submit(() -> touch(marker));
      assertTrue(queued.cancel(false));
      awaitFile(Path.of(started));
      assertFalse(blocker.cancel(false), "cancel(false) on a running task");
      assertEquals(1, blocker.get(30, SECONDS));
      assertEquals(2, one.submit(() -> 2).get(30, SECONDS));
    }
    assertFalse(Files.exists(Path.of(marker)));
  }

  @Test
  void cancelTrue_onRunningTask_killsItsWorkerAndPoolGoesOn(@TempDir Path dir) throws Exception {
    String started = dir.resolve("started").toString();
    List<Long> pids = new ArrayList<>();
    try (ProcessPoolExecutor one = ProcessPoolExecutor.newBuilder().maxWorkers(1).build()) {
      long firstPid = one.submit(() -> ProcessHandle.current().pid()).get(30, SECONDS);
      pids.add(firstPid);
      CompletableFuture<Integer> endless =
          one.submit(
              () -> {
                touch(started);
                sleep(60_000);
                return 1;
              });
      awaitFile(Path.of(started));
      assertFalse(endless.cancel(false));
      assertTrue(endless.cancel(true));
      assertTrue(endless.isCancelled());
      await().until(() -> ProcessHandle.of(firstPid).isEmpty());
      long secondPid = one.submit(() -> ProcessHandle.current().pid()).get(30, SECONDS);
      assertNotEquals(firstPid, secondPid);
      pids.add(secondPid);
    }
    awaitGone(pids);
  }

  @Test
  void shutdown_cancelFutures_andSubmitAfterShutdown(@TempDir Path dir) throws Exception {
    String started = dir.resolve("started").toString();
    ProcessPoolExecutor one = ProcessPoolExecutor.newBuilder().maxWorkers(1).build();
    CompletableFuture<Integer> running =
        one.submit(
            () -> {
              touch(started);
              sleep(500);
              return 7;
            });
    List<CompletableFuture<Integer>> queued = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      queued.add(one.submit(() -> 1));
    }
    awaitFile(Path.of(started));
    List<Long> pids = one.workerPids();
    one.shutdown(true, true);
    one.shutdown(true, true); // idempotent
    queued.forEach(f -> assertTrue(f.isCancelled()));
    assertEquals(7, running.get(30, SECONDS));
    assertTrue(one.isTerminated());
    RejectedExecutionException e =
        assertThrows(RejectedExecutionException.class, () -> one.submit(() -> 1));
    assertTrue(e.getMessage().contains("shut down"), e.getMessage());
    awaitGone(pids);
  }

  @Test
  void close_interruptedWhileWaiting_killsTheRunningTask(@TempDir Path dir) throws Exception {
    String started = dir.resolve("started").toString();
    ProcessPoolExecutor one = ProcessPoolExecutor.newBuilder().maxWorkers(1).build();
    CompletableFuture<Integer> running =
        one.submit(
            () -> {
              touch(started);
              sleep(60_000);
              return 7;
            });
    awaitFile(Path.of(started));
    List<Long> pids = one.workerPids();
    assertTrue(
        Awaits.closeInterruptedWhileWaiting(
            one, () -> assertFalse(running.isDone(), "close() waits for the running task")),
        "the interrupt status is kept");
    assertTrue(running.isCancelled());
    assertTrue(one.isTerminated());
    awaitGone(pids);
  }

  @Test
  void submit_fromAnInterruptedThread_runsTheTaskAndKeepsTheInterrupt() throws Exception {
    // A small task for an idle worker is written by the submitting thread; an interrupted thread's
    // write would close the worker's socket, so such a thread leaves the write to the sender.
    assertEquals(1, pool.submit(() -> 1).get(30, SECONDS));
    List<Long> before = pool.workerPids();
    CompletableFuture<Integer> f;
    Thread.currentThread().interrupt();
    try {
      f = pool.submit(() -> 42);
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is kept");
    } finally {
      Thread.interrupted();
    }
    assertEquals(42, f.get(30, SECONDS));
    assertEquals(before, pool.workerPids(), "no worker was lost");
  }

  @Test
  void builder_badInput_clearErrors() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ProcessPoolExecutor.newBuilder().maxWorkers(0));
    assertEquals("maxWorkers must be greater than 0, was 0", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProcessPoolExecutor.newBuilder().maxTasksPerChild(0));
    assertEquals("maxTasksPerChild must be at least 1, was 0", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProcessPoolExecutor.newBuilder().launcher("nope"));
    assertTrue(e.getMessage().contains("local-jvm"), e.getMessage());
    assertTrue(e.getMessage().contains("in-process"), e.getMessage());
    Object notSerializable = new Object();
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProcessPoolExecutor.newBuilder().initializer(() -> notSerializable.hashCode()));
    assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    assertThrows(
        IllegalStateException.class,
        () -> ProcessPoolExecutor.newBuilder().maxWorkers(1).maxWorkers(2));
  }

  /** Holds no state: a worker reads it once and keeps it. */
  static final class WhichInstance implements SerializableFunction<Integer, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String apply(Integer task) {
      return ProcessHandle.current().pid() + "/" + System.identityHashCode(this);
    }
  }

  /** The same with a field: read with each task. */
  static final class WhichInstanceWithState implements SerializableFunction<Integer, String> {
    private static final long serialVersionUID = 1L;
    private final int unused = 1;

    @Override
    public String apply(Integer task) {
      return ProcessHandle.current().pid() + "/" + System.identityHashCode(this) + unused;
    }
  }

  @Test
  void aStatelessFunction_isReadOncePerWorker_oneWithStateWithEachTask() throws Exception {
    int tasks = 20;
    List<CompletableFuture<String>> stateless = new ArrayList<>();
    List<CompletableFuture<String>> stateful = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      stateless.add(pool.submit(new WhichInstance(), i));
      stateful.add(pool.submit(new WhichInstanceWithState(), i));
    }
    Set<String> statelessSeen = new HashSet<>();
    Set<String> statefulSeen = new HashSet<>();
    Set<String> pids = new HashSet<>();
    for (int i = 0; i < tasks; i++) {
      String one = stateless.get(i).get(30, SECONDS);
      statelessSeen.add(one);
      pids.add(one.substring(0, one.indexOf('/')));
      statefulSeen.add(stateful.get(i).get(30, SECONDS));
    }
    assertEquals(pids.size(), statelessSeen.size(), "one instance per worker: " + statelessSeen);
    assertEquals(tasks, statefulSeen.size(), "one instance per task: " + statefulSeen);
  }

  /** For task bodies that must take time; tests themselves wait with Awaitility or latches. */
  static void sleep(long millis) {
    try {
      Thread.sleep(millis); // inside a task
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Object touch(String path) {
    try {
      return Files.createFile(Path.of(path)).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
