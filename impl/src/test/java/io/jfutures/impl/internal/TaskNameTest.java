package io.jfutures.impl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.SerializableCallable;
import io.jfutures.api.SerializableFunction;
import io.jfutures.api.SerializableSupplier;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
final class TaskNameTest {
  private static final String TEST = TaskNameTest.class.getName();

  @Test
  void serializableLambda_namesItsMethodAndTheFirstLineOfItsBody() throws Exception {
    SerializableCallable<Integer> task =
        () -> {
          int line = new Throwable().getStackTrace()[0].getLineNumber();
          long big = 1234567890123L; // Long and Double constants take two pool slots
          double huge = 2.5e300;
          return big > huge ? -1 : line;
        };
    String method = TaskName.serializedForm(task).getImplMethodName();
    assertTrue(method.matches("lambda\\$serializableLambda_\\w+\\$[0-9a-f]+\\$\\d+"), method);

    String name = TaskName.of(task).toString();

    assertEquals(TEST + "." + method + " (TaskNameTest.java:" + task.call() + ")", name);
    assertSame(name, TaskName.of(task).toString(), "read once, then cached");
  }

  @Test
  void serializableMethodReference_namesClassAndMethod() {
    SerializableFunction<Integer, Integer> twice = TaskNameTest::twice;
    SerializableFunction<Object, String> valueOf = String::valueOf;

    assertEquals(TEST + "::twice", TaskName.of(twice).toString());
    assertEquals("java.lang.String::valueOf", TaskName.of(valueOf).toString());
  }

  @Test
  void serializableConstructorReference_namesClassAndNew() {
    SerializableSupplier<ArrayList<String>> list = ArrayList::new;
    SerializableFunction<String, Job> job = Job::new;

    assertEquals("java.util.ArrayList::new", TaskName.of(list).toString());
    assertEquals(TEST + "$Job::new", TaskName.of(job).toString());
  }

  @Test
  void plainLambdaOrMethodReference_namesTheClassThatMadeIt() {
    Runnable lambda = () -> {};
    Supplier<String> reference = this::toString;

    assertEquals("a lambda of " + TEST, TaskName.of(lambda).toString());
    assertEquals("a lambda of " + TEST, TaskName.of(reference).toString());
  }

  @Test
  void anonymousAndNamedClasses_nameTheirClass() {
    Runnable anonymous =
        new Runnable() {
          @Override
          public void run() {}
        };

    assertEquals(anonymous.getClass().getName(), TaskName.of(anonymous).toString());
    assertTrue(TaskName.of(anonymous).toString().startsWith(TEST + "$"));
    assertEquals(TEST + "$Job", TaskName.of(new Job("a")).toString());
    assertEquals("java.lang.Object", TaskName.of(new Object()).toString());
  }

  @Test
  void twoInstancesOfOneClass_shareOneName() {
    Callable<Integer> one = constant(1);
    Callable<Integer> two = constant(2);
    Runnable plain1 = plain();
    Runnable plain2 = plain();

    assertSame(one.getClass(), two.getClass());
    assertSame(TaskName.of(one), TaskName.of(two));
    assertSame(TaskName.of(plain1), TaskName.of(plain2));
    assertSame(TaskName.of(new Job("a")), TaskName.of(new Job("b")));
  }

  @Test
  void aName_keepsNoTaskAndNoCapturedData() throws Exception {
    byte[] captured = new byte[16];
    SerializableCallable<Integer> task = () -> captured.length;
    TaskName name = TaskName.of(task);

    for (Field field : TaskName.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      field.setAccessible(true);
      Object value = field.get(name);
      assertTrue(
          value instanceof Class || value instanceof String || onlyStrings(value),
          field.getName() + " = " + value);
    }
  }

  private static boolean onlyStrings(Object value) throws IllegalAccessException {
    for (Field field : value.getClass().getDeclaredFields()) {
      field.setAccessible(true);
      if (!Modifier.isStatic(field.getModifiers()) && !(field.get(value) instanceof String)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void serializationFindsTheSameFormAsReflection() {
    SerializableCallable<Integer> task = constant(3);
    SerializedLambda reflected = TaskName.viaWriteReplace(task);
    SerializedLambda serialized = TaskName.viaSerialization(task);

    assertNotNull(reflected);
    assertNotNull(serialized);
    assertEquals(reflected.toString(), serialized.toString());
    assertNull(TaskName.viaSerialization(plain()), "not serializable");
    assertNull(TaskName.viaWriteReplace(plain()));
  }

  @Test
  void lambdaWhoseClassFileCannotBeRead_namesItsMethodWithoutLine() throws Exception {
    Class<?> unreadable = new HidingLoader().loadClass(Unreadable.class.getName());
    assertEquals(HidingLoader.class, unreadable.getClassLoader().getClass());
    Method make = unreadable.getDeclaredMethod("task");
    make.setAccessible(true);
    Object task = make.invoke(null);

    String method = TaskName.serializedForm(task).getImplMethodName();
    assertTrue(method.startsWith("lambda$task$"), method);

    String name = TaskName.of(task).toString();

    assertEquals(Unreadable.class.getName() + "." + method, name);
  }

  @Test
  void reader_findsSourceFileAndFirstLine() throws IOException {
    byte[] classFile = classFile(TaskNameTest.class);

    assertEquals(
        "TaskNameTest.java:" + here(), ClassFileReader.sourceLine(classFile, "here", "()I"));
    assertNull(ClassFileReader.sourceLine(classFile, "here", "()J"), "another descriptor");
    assertNull(ClassFileReader.sourceLine(classFile, "nowhere", "()I"));
  }

  @Test
  void reader_givesNullForBadBytes() throws IOException {
    byte[] classFile = classFile(TaskNameTest.class);

    assertNull(ClassFileReader.sourceLine(new byte[0], "here", "()I"));
    assertNull(
        ClassFileReader.sourceLine(
            "not a class file".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            "here",
            "()I"));
    for (int length = 0; length < classFile.length; length++) {
      byte[] truncated = Arrays.copyOf(classFile, length);
      assertNull(ClassFileReader.sourceLine(truncated, "here", "()I"), "length " + length);
    }
    for (int i = 0; i < classFile.length; i++) {
      byte[] corrupt = classFile.clone();
      corrupt[i] ^= (byte) 0xFF;
      ClassFileReader.sourceLine(corrupt, "here", "()I"); // null or some name, never a throw
    }
  }

  private static int here() {
    return new Throwable().getStackTrace()[0].getLineNumber();
  }

  private static int twice(int x) {
    return 2 * x;
  }

  private static SerializableCallable<Integer> constant(int value) {
    return () -> value;
  }

  private static Runnable plain() {
    return () -> {};
  }

  private static byte[] classFile(Class<?> type) throws IOException {
    try (InputStream in =
        type.getResourceAsStream(
            type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class")) {
      return in.readAllBytes();
    }
  }

  static final class Job implements Callable<String> {
    private final String value;

    Job(String value) {
      this.value = value;
    }

    @Override
    public String call() {
      return value;
    }
  }

  /** Loaded by a {@link HidingLoader}, which will not give its class file back. */
  static final class Unreadable {
    private Unreadable() {}

    static Object task() {
      SerializableCallable<String> task = () -> "unreadable";
      return task;
    }
  }

  /** Defines {@link Unreadable} itself and finds no resources. */
  private static final class HidingLoader extends ClassLoader {
    HidingLoader() {
      super(TaskNameTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.equals(Unreadable.class.getName())) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          try {
            byte[] bytes = classFile(Unreadable.class);
            loaded = defineClass(name, bytes, 0, bytes.length);
          } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        return loaded;
      }
    }

    @Override
    public URL getResource(String name) {
      return null;
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      return null;
    }
  }
}
