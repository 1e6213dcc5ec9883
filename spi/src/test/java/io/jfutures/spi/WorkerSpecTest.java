package io.jfutures.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class WorkerSpecTest {
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
  private static final WorkerEntryPoint ENTRY_POINT = (fromPool, toPool) -> {};

  @Test
  void new_keepsComponents() {
    WorkerSpec spec = spec(null);

    assertEquals("jfutures-worker-1", spec.workerName());
    assertEquals(JAVA, spec.javaExecutable());
    assertEquals(List.of("-Xmx64m", "-Dx=1"), spec.jvmOptions());
    assertEquals(List.of("a.jar", "b.jar"), spec.classPath());
    assertEquals(List.of("mods"), spec.modulePath());
    assertEquals(Map.of("LANG", "C"), spec.environment());
    assertEquals("io.jfutures.impl.WorkerMain", spec.mainClass());
    assertSame(ENTRY_POINT, spec.entryPoint());
    assertEquals(Duration.ofSeconds(30), spec.startTimeout());
  }

  @Test
  void new_copiesCollections() {
    List<String> jvmOptions = new ArrayList<>(List.of("-Xmx64m"));
    List<String> classPath = new ArrayList<>(List.of("a.jar"));
    List<String> modulePath = new ArrayList<>(List.of("mods"));
    Map<String, String> environment = new HashMap<>(Map.of("LANG", "C"));
    WorkerSpec spec =
        new WorkerSpec(
            "w",
            JAVA,
            jvmOptions,
            classPath,
            modulePath,
            environment,
            "Main",
            ENTRY_POINT,
            Duration.ofSeconds(1));

    jvmOptions.add("-ea");
    classPath.clear();
    modulePath.add("more");
    environment.put("TZ", "UTC");

    assertEquals(List.of("-Xmx64m"), spec.jvmOptions());
    assertEquals(List.of("a.jar"), spec.classPath());
    assertEquals(List.of("mods"), spec.modulePath());
    assertEquals(Map.of("LANG", "C"), spec.environment());
  }

  @Test
  void collections_areUnmodifiable() {
    WorkerSpec spec = spec(null);

    assertThrows(UnsupportedOperationException.class, () -> spec.jvmOptions().add("-ea"));
    assertThrows(UnsupportedOperationException.class, () -> spec.classPath().remove(0));
    assertThrows(UnsupportedOperationException.class, () -> spec.modulePath().clear());
    assertThrows(UnsupportedOperationException.class, () -> spec.environment().put("A", "B"));
  }

  @Test
  void new_keepsJvmOptionOrder() {
    List<String> options = List.of("-Xmx1g", "-Xmx64m", "-Da=1", "-Da=2");
    WorkerSpec spec =
        new WorkerSpec(
            "w", JAVA, options, List.of(), List.of(), Map.of(), "Main", ENTRY_POINT, Duration.ZERO);

    assertEquals(options, spec.jvmOptions());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "workerName",
        "javaExecutable",
        "jvmOptions",
        "classPath",
        "modulePath",
        "environment",
        "mainClass",
        "entryPoint",
        "startTimeout"
      })
  void new_nullComponent_throwsNpe(String component) {
    assertThrows(NullPointerException.class, () -> spec(component));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"workerName", "javaExecutable", "mainClass", "entryPoint", "startTimeout"})
  void new_nullComponent_messageNamesIt(String component) {
    NullPointerException e = assertThrows(NullPointerException.class, () -> spec(component));

    assertEquals(component, e.getMessage());
  }

  @Test
  void new_nullListElement_throwsNpe() {
    List<String> withNull = Arrays.asList("-ea", null);

    assertThrows(
        NullPointerException.class,
        () ->
            new WorkerSpec(
                "w",
                JAVA,
                withNull,
                List.of(),
                List.of(),
                Map.of(),
                "Main",
                ENTRY_POINT,
                Duration.ZERO));
  }

  @Test
  void new_nullEnvironmentValue_throwsNpe() {
    Map<String, String> withNull = new HashMap<>();
    withNull.put("LANG", null);

    assertThrows(
        NullPointerException.class,
        () ->
            new WorkerSpec(
                "w",
                JAVA,
                List.of(),
                List.of(),
                List.of(),
                withNull,
                "Main",
                ENTRY_POINT,
                Duration.ZERO));
  }

  @Test
  void equals_comparesComponents() {
    assertEquals(spec(null), spec(null));
    assertEquals(spec(null).hashCode(), spec(null).hashCode());
  }

  /** Returns a valid spec, except that {@code nullComponent}, if not null, is null. */
  private static WorkerSpec spec(String nullComponent) {
    return new WorkerSpec(
        "workerName".equals(nullComponent) ? null : "jfutures-worker-1",
        "javaExecutable".equals(nullComponent) ? null : JAVA,
        "jvmOptions".equals(nullComponent) ? null : List.of("-Xmx64m", "-Dx=1"),
        "classPath".equals(nullComponent) ? null : List.of("a.jar", "b.jar"),
        "modulePath".equals(nullComponent) ? null : List.of("mods"),
        "environment".equals(nullComponent) ? null : Map.of("LANG", "C"),
        "mainClass".equals(nullComponent) ? null : "io.jfutures.impl.WorkerMain",
        "entryPoint".equals(nullComponent) ? null : ENTRY_POINT,
        "startTimeout".equals(nullComponent) ? null : Duration.ofSeconds(30));
  }
}
