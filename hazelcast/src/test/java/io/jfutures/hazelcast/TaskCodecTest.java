package io.jfutures.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastException;
import io.jfutures.api.RemoteTaskException;
import io.jfutures.api.SerializableCallable;
import io.jfutures.api.SerializableRunnable;
import io.jfutures.impl.internal.process.ClassFilter;
import java.io.InvalidClassException;
import java.io.Serializable;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
final class TaskCodecTest {
  record Point(int x, int y) implements Serializable {}

  private static ClassLoader loader() {
    return TaskCodecTest.class.getClassLoader();
  }

  @Test
  void aTaskRunsOnTheMemberSide_withTheClassesItWasWrittenWith() throws Exception {
    Point p = new Point(3, 4);
    SerializableCallable<Integer> task = () -> p.x() * p.y();
    Set<String> classes = TaskCodec.newClassSet();
    byte[] bytes = TaskCodec.write(task, classes);
    assertTrue(classes.contains(Point.class.getName()), classes.toString());
    byte[] outcome = new MemberTask(bytes, List.copyOf(classes), "", null, null).call();
    assertEquals(TaskCodec.RESULT, outcome[0]);
    assertEquals(12, TaskCodec.read(outcome, 1, new ClassFilter(""), loader()));
  }

  static final java.util.concurrent.atomic.AtomicInteger INITS =
      new java.util.concurrent.atomic.AtomicInteger();

  @Test
  void anInitializer_runsOnceForItsKey_andItsFailureIsTaggedApart() throws Exception {
    SerializableCallable<Integer> task = () -> INITS.get();
    Set<String> classes = TaskCodec.newClassSet();
    byte[] bytes = TaskCodec.write(task, classes);
    SerializableRunnable init = () -> INITS.incrementAndGet();
    byte[] initBytes = TaskCodec.write(init, classes);
    String key = "test/" + java.util.UUID.randomUUID();
    int before = INITS.get();
    for (int i = 1; i <= 3; i++) {
      byte[] outcome = new MemberTask(bytes, List.copyOf(classes), "", key, initBytes).call();
      assertEquals(TaskCodec.RESULT, outcome[0]);
      assertEquals(before + 1, TaskCodec.read(outcome, 1, new ClassFilter(""), loader()));
    }
    SerializableRunnable failing =
        () -> {
          throw new IllegalStateException("no licence");
        };
    byte[] failingBytes = TaskCodec.write(failing, classes);
    String other = "test/" + java.util.UUID.randomUUID();
    for (int i = 0; i < 2; i++) {
      byte[] outcome = new MemberTask(bytes, List.copyOf(classes), "", other, failingBytes).call();
      assertEquals(TaskCodec.INIT_FAILURE, outcome[0], "the task does not run");
      Object e = TaskCodec.read(outcome, 1, new ClassFilter(""), loader());
      assertEquals("no licence", ((IllegalStateException) e).getMessage());
    }
    assertEquals(before + 1, INITS.get());
  }

  @Test
  void aClassNeitherSentNorAllowed_isRejected_namingHowToAllowIt() throws Exception {
    // Outside java.base and jfutures, and not among the classes a task was written with.
    byte[] bytes = TaskCodec.write(new HazelcastException("not ours"), TaskCodec.newClassSet());
    InvalidClassException e =
        assertThrows(
            InvalidClassException.class,
            () -> TaskCodec.read(bytes, 0, new ClassFilter("", TaskCodec.ALLOW_METHOD), loader()));
    String message = String.valueOf(e.getCause());
    assertTrue(message.contains("com.hazelcast.core.HazelcastException"), message);
    assertTrue(
        message.contains(
            "BackendExecutor.newBuilder(backend).allowClasses(\"com.hazelcast.core.*\")"),
        message);
    ClassFilter widened = new ClassFilter("com.hazelcast.core.*", TaskCodec.ALLOW_METHOD);
    assertEquals(
        "not ours",
        ((HazelcastException) TaskCodec.read(bytes, 0, widened, loader())).getMessage());
  }

  @Test
  void aTaskThatThrows_returnsItsException_andAnUnserializableOneGetsAStandIn() throws Exception {
    SerializableCallable<Object> fails =
        () -> {
          throw new IllegalStateException("no model file");
        };
    byte[] outcome = run(fails);
    assertEquals(TaskCodec.FAILURE, outcome[0]);
    IllegalStateException e =
        assertInstanceOf(
            IllegalStateException.class, TaskCodec.read(outcome, 1, new ClassFilter(""), loader()));
    assertEquals("no model file", e.getMessage());
    SerializableCallable<Object> odd =
        () -> {
          throw new Unserializable();
        };
    RemoteTaskException standIn =
        assertInstanceOf(
            RemoteTaskException.class, TaskCodec.read(run(odd), 1, new ClassFilter(""), loader()));
    assertEquals(Unserializable.class.getName(), standIn.remoteClassName());
  }

  @Test
  void aRejectingPattern_stopsTheTaskOnTheMember() throws Exception {
    SerializableCallable<Integer> task = () -> 1;
    Set<String> classes = TaskCodec.newClassSet();
    byte[] bytes = TaskCodec.write(task, classes);
    byte[] outcome =
        new MemberTask(
                bytes, List.copyOf(classes), "!io.jfutures.hazelcast.TaskCodecTest*", null, null)
            .call();
    assertEquals(TaskCodec.FAILURE, outcome[0]);
    Object e = TaskCodec.read(outcome, 1, new ClassFilter(""), loader());
    assertTrue(String.valueOf(e).contains("the member could not read the task"), String.valueOf(e));
  }

  private static byte[] run(SerializableCallable<?> task) throws Exception {
    Set<String> classes = TaskCodec.newClassSet();
    byte[] bytes = TaskCodec.write(task, classes);
    return new MemberTask(bytes, List.copyOf(classes), "", null, null).call();
  }

  /** An exception with a field that does not serialize. */
  static final class Unserializable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // the point of the test
    private final Object lock = new Object();

    @Override
    public String getMessage() {
      return "holds " + lock.getClass().getSimpleName();
    }
  }
}
