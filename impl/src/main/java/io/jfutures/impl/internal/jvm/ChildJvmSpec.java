package io.jfutures.impl.internal.jvm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start one child JVM: what {@link ChildJvm#start} runs. Immutable.
 *
 * @param name the child's name, as {@code jfutures-worker-3}; its output threads and errors use it
 * @param javaExecutable the {@code java} to run, usually the parent's own
 * @param jvmOptions the child's JVM options, in order (later ones win)
 * @param classPath the child's class path entries
 * @param modulePath the child's module path entries, empty to run on the class path only
 * @param environment variables to add to the child's environment
 * @param mainModule the module of {@code mainClass} to run it with {@code -m}, or null to run it
 *     from the class path
 * @param mainClass the child's main class. Its first two arguments are {@code --connect TARGET},
 *     which it passes to {@link ChildSide#connect}: {@code pipe:} for the pipes of {@link
 *     ChildPipes}, or the path of a Unix-domain socket
 * @param arguments the main class's arguments after {@code --connect TARGET}
 * @param startTimeout how long the child may take to start and connect
 */
public record ChildJvmSpec(
    String name,
    Path javaExecutable,
    List<String> jvmOptions,
    List<String> classPath,
    List<String> modulePath,
    Map<String, String> environment,
    String mainModule,
    String mainClass,
    List<String> arguments,
    Duration startTimeout) {

  /** Checks and copies the components. */
  public ChildJvmSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(javaExecutable, "javaExecutable");
    jvmOptions = List.copyOf(jvmOptions);
    classPath = List.copyOf(classPath);
    modulePath = List.copyOf(modulePath);
    environment = Map.copyOf(environment);
    Objects.requireNonNull(mainClass, "mainClass");
    arguments = List.copyOf(arguments);
    Objects.requireNonNull(startTimeout, "startTimeout");
  }

  /** Returns this JVM's own {@code java} launcher: children run on the parent's JDK. */
  public static Path currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** Returns this JVM's module path entries, empty when it runs on the class path only. */
  public static List<String> currentModulePath() {
    String path = System.getProperty("jdk.module.path");
    return path == null || path.isEmpty()
        ? List.of()
        : List.of(path.split(java.io.File.pathSeparator));
  }
}
