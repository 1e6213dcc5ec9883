package io.jfutures.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.jfutures.impl.internal.process.ClassFilter;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;

/**
 * A task as it travels to a member: the task serialized by {@link TaskCodec}, the names of the
 * classes in it, the submitting executor's allow-list, and its initializer if it has one (run once
 * per member, before the executor's first task there). Run by the member's Hazelcast executor, it
 * reads the task through a {@link ClassFilter} (the JDK's classes, jfutures', the classes the task
 * was written with and the executor's patterns), runs it, and returns its outcome serialized, so
 * that the task's own exception is told apart from the cluster's.
 *
 * <p>The member needs jfutures and the task's classes on its class path. Travels as Hazelcast's
 * {@link DataSerializable} (measured: a Java-serialized envelope cost more than the task itself).
 * Not changed once made. Public only because Hazelcast makes it by reflection on the member: not
 * for applications.
 */
public final class MemberTask implements Callable<byte[]>, DataSerializable {
  /**
   * The executors' initializers that ran on this member, or are running: by the key of the backend
   * that sent them. An entry stays for the life of this JVM, one per executor that had an
   * initializer: a member that restarts runs each again.
   */
  private static final ConcurrentMap<String, CompletableFuture<Void>> INITIALIZED =
      new ConcurrentHashMap<>();

  private byte[] task;
  private String[] classes;
  private String allowedClasses;

  /** The key of the executor's initializer, unique to the backend that sent it, or null. */
  private String initKey;

  /** The executor's initializer, serialized; null without one. */
  private byte[] initializer;

  /** For Hazelcast, which reads the fields with {@link #readData}. */
  public MemberTask() {}

  MemberTask(
      byte[] task,
      List<String> classes,
      String allowedClasses,
      String initKey,
      byte[] initializer) {
    this.task = task;
    this.classes = classes.toArray(String[]::new);
    this.allowedClasses = allowedClasses;
    this.initKey = initKey;
    this.initializer = initializer;
  }

  // Hazelcast's own format, not Java serialization: the envelope is written field by field.
  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByteArray(task);
    out.writeStringArray(classes);
    out.writeString(allowedClasses);
    out.writeString(initKey);
    out.writeByteArray(initializer);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    task = in.readByteArray();
    classes = in.readStringArray();
    allowedClasses = in.readString();
    initKey = in.readString();
    initializer = in.readByteArray();
  }

  /**
   * Runs the executor's initializer on this member, once: the first of its tasks here runs it, and
   * the others wait for it. Returns its failure (every later task of that executor here gets the
   * same), or null.
   */
  private Throwable initializeOnce(ClassFilter filter) throws InterruptedException {
    if (initKey == null) {
      return null;
    }
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> done = INITIALIZED.putIfAbsent(initKey, mine);
    if (done == null) {
      done = mine;
      try {
        ((Runnable) TaskCodec.read(initializer, 0, filter, TaskCodec.loader())).run();
        mine.complete(null);
      } catch (Exception | LinkageError e) {
        mine.completeExceptionally(e);
      }
    }
    try {
      done.get();
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  /** Reads the task through the filter, runs it, and returns its serialized outcome. */
  @Override
  public byte[] call() throws Exception {
    Callable<?> call;
    try {
      ClassFilter filter = new ClassFilter(allowedClasses, TaskCodec.ALLOW_METHOD);
      for (String c : classes) {
        filter.learn(c);
      }
      Throwable initFailed = initializeOnce(filter);
      if (initFailed != null) {
        return TaskCodec.writeFailure(TaskCodec.INIT_FAILURE, initFailed);
      }
      call = (Callable<?>) TaskCodec.read(task, 0, filter, TaskCodec.loader());
    } catch (Exception | LinkageError e) {
      // A rejected class comes as the cause of "filter status: REJECTED": its message names it.
      Throwable why =
          e instanceof java.io.InvalidClassException && e.getCause() != null ? e.getCause() : e;
      return TaskCodec.writeFailure(
          new IllegalStateException("the member could not read the task: " + why.getMessage(), e));
    }
    Object result;
    try {
      result = call.call();
    } catch (Exception | Error e) {
      if (e instanceof VirtualMachineError && !(e instanceof OutOfMemoryError)) {
        throw (Error) e; // the member itself is in trouble
      }
      return TaskCodec.writeFailure(e);
    }
    try {
      return TaskCodec.writeOutcome(TaskCodec.RESULT, result);
    } catch (java.io.NotSerializableException e) {
      return TaskCodec.writeFailure(
          new IllegalStateException(
              "the task's result could not be serialized: "
                  + e.getMessage()
                  + " is not Serializable",
              e));
    }
  }

  @Override
  public String toString() {
    return "MemberTask["
        + task.length
        + " bytes, classes="
        + java.util.Arrays.toString(classes)
        + "]";
  }
}
