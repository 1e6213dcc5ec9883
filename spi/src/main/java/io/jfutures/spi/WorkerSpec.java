package io.jfutures.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link WorkerLauncher} needs to start one worker. Immutable.
 *
 * @param workerName the worker's name, as {@code jfutures-worker-3}; use it for threads and logs
 * @param javaExecutable the {@code java} launcher of the parent JVM
 * @param jvmOptions options for the worker's JVM, in order (later ones win)
 * @param classPath the worker's class path: the parent's (with the {@code file:} URLs of the class
 *     loaders between the system class loader and the one that built the pool), then the extra
 *     entries the user gave
 * @param modulePath the parent's module path, empty when it runs on the class path only
 * @param environment variables to add to the worker's environment
 * @param mainClass the worker's main class for a child JVM. It accepts either {@code --stdio}, to
 *     speak the protocol on its standard input and output (everything a task prints then goes to
 *     standard error), or {@code --connect PATH}, to connect to the Unix-domain socket at {@code
 *     PATH} and prove itself with the first line of its standard input, a token the launcher chose,
 *     or, on Linux, {@code --connect pipe:}, to make two pipes and announce their descriptors in a
 *     line on standard output, which the launcher opens through {@code /proc/PID/fd} (the local
 *     launcher's way). In every mode the worker exits when its standard input reaches end-of-file,
 *     so a worker never outlives a parent that holds its standard input open.
 * @param entryPoint the worker's protocol loop, for launchers that run the worker in this JVM
 * @param startTimeout how long a worker may take to start and connect
 */
public record WorkerSpec(
    String workerName,
    Path javaExecutable,
    List<String> jvmOptions,
    List<String> classPath,
    List<String> modulePath,
    Map<String, String> environment,
    String mainClass,
    WorkerEntryPoint entryPoint,
    Duration startTimeout) {

  /**
   * Checks and copies the components.
   *
   * @param workerName the worker's name, as {@code jfutures-worker-3}; use it for threads and logs
   * @param javaExecutable the {@code java} launcher of the parent JVM
   * @param jvmOptions options for the worker's JVM, in order (later ones win); copied
   * @param classPath the worker's class path; copied
   * @param modulePath the parent's module path, empty when it runs on the class path only; copied
   * @param environment variables to add to the worker's environment; copied
   * @param mainClass the worker's main class for a child JVM
   * @param entryPoint the worker's protocol loop, for launchers that run the worker in this JVM
   * @param startTimeout how long a worker may take to start and connect
   * @throws NullPointerException if a component is null, or a list or the map holds null
   */
  public WorkerSpec {
    Objects.requireNonNull(workerName, "workerName");
    Objects.requireNonNull(javaExecutable, "javaExecutable");
    jvmOptions = List.copyOf(jvmOptions);
    classPath = List.copyOf(classPath);
    modulePath = List.copyOf(modulePath);
    environment = Map.copyOf(environment);
    Objects.requireNonNull(mainClass, "mainClass");
    Objects.requireNonNull(entryPoint, "entryPoint");
    Objects.requireNonNull(startTimeout, "startTimeout");
  }
}
