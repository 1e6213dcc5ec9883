package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.impl.internal.process.TrainingStep;
import io.jfutures.multiprocessing.Connection;
import io.jfutures.multiprocessing.JoinableProcessQueue;
import io.jfutures.multiprocessing.ManagedList;
import io.jfutures.multiprocessing.ManagedMap;
import io.jfutures.multiprocessing.ManagedValue;
import io.jfutures.multiprocessing.Manager;
import io.jfutures.multiprocessing.Namespace;
import io.jfutures.multiprocessing.Pool;
import io.jfutures.multiprocessing.ProcessBarrier;
import io.jfutures.multiprocessing.ProcessCondition;
import io.jfutures.multiprocessing.ProcessEvent;
import io.jfutures.multiprocessing.ProcessLock;
import io.jfutures.multiprocessing.ProcessQueue;
import io.jfutures.multiprocessing.ProcessReentrantLock;
import io.jfutures.multiprocessing.ProcessSemaphore;
import io.jfutures.multiprocessing.SharedDouble;
import io.jfutures.multiprocessing.SharedDoubleArray;
import io.jfutures.multiprocessing.SharedInt;
import io.jfutures.multiprocessing.SharedIntArray;
import io.jfutures.multiprocessing.SharedList;
import io.jfutures.multiprocessing.SharedLong;
import io.jfutures.multiprocessing.SharedLongArray;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.util.Arrays;
import java.util.List;

/**
 * A child's first use of its parent's hub, played in the training run of the class archive that
 * pool workers and processes map ({@code WorkerClassArchive}): this JVM starts a hub and talks to
 * it as another process would, through a {@link HubClient} over its socket: puts and gets on an
 * unbounded queue (the leased path a child's gets take), then on a bounded one (calls that wait for
 * their reply), a manager's dict, and a lock; and it loads the public handles a child reads and
 * their serialized forms. Without it a child's first queue operation ran cold code loaded from the
 * jar: a probe put a child's first {@code get} at 10-20 ms.
 *
 * <p>It leaves a hub running in this JVM, whose shutdown hook removes its socket: run it only in a
 * JVM that exits after its training (the archive's maker), never in a process's own child.
 */
public final class HubTraining implements TrainingStep {
  private static final Class<?>[] KEY = {Object.class};
  private static final Class<?>[] KEY_VALUE = {Object.class, Object.class};

  /** Round trips per queue: enough to load and link every class of the path. */
  private static final int ROUNDS = 50;

  /**
   * The handles a child deserializes, or whose classes the verifier of a user's class loads: a crew
   * child loaded each from the jar, parsed and verified, rather than mapped from the archive.
   */
  private static final List<Class<?>> HANDLES =
      List.of(
          ProcessQueue.class,
          JoinableProcessQueue.class,
          Connection.class,
          ProcessLock.class,
          ProcessReentrantLock.class,
          ProcessCondition.class,
          ProcessSemaphore.class,
          ProcessEvent.class,
          ProcessBarrier.class,
          SharedInt.class,
          SharedLong.class,
          SharedDouble.class,
          SharedIntArray.class,
          SharedLongArray.class,
          SharedDoubleArray.class,
          SharedList.class,
          ManagedMap.class,
          ManagedList.class,
          ManagedValue.class,
          Namespace.class,
          Manager.class,
          Pool.class);

  /** For {@link java.util.ServiceLoader}. */
  public HubTraining() {}

  @Override
  public void train() throws Exception {
    HubRef hub = Hub.local().ref();
    for (boolean bounded : new boolean[] {false, true}) {
      long id = QueueBackend.create(bounded ? 4 : 0, false, true);
      QueueBackend queue = QueueBackend.remote(hub, id, bounded);
      for (int i = 0; i < ROUNDS; i++) {
        byte[] item = {(byte) i, 1, 2, 3};
        check(queue.put(item, -1), "a put found the queue full");
        check(Arrays.equals(item, queue.get(-1)), "an item came back changed");
      }
      check(queue.size() == 0, "the queue was not empty at the end");
    }
    // A manager's dict, called as a child calls it: on a call line.
    HostedBackend hosted = HostedBackend.remote(hub);
    long dict =
        hosted.create(HostedBackend.newManagerId(), HostedSpec.of(HostedSpec.Kind.DICT)).id();
    try {
      for (int i = 0; i < ROUNDS; i++) {
        hosted.invoke(dict, HostedCall.of("put", KEY_VALUE, i, "v" + i));
        check(("v" + i).equals(hosted.invoke(dict, HostedCall.of("get", KEY, i))), "a dict lost");
      }
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException("hub training: a dict's call threw " + t, t);
    }
    // The literals loaded them; the archive holds what the loader that trains it loaded.
    for (Class<?> handle : HANDLES) {
      check(handle.getClassLoader() == HubTraining.class.getClassLoader(), handle + "'s loader");
    }
    trainLocks(hub);
    // Handles as a child reads them: their serialized forms (a hub's reference, a shared block's
    // name).
    SharedIntArray shared = SharedIntArray.create(1);
    try {
      check(roundTrip(new ProcessQueue<>()) instanceof ProcessQueue, "a queue did not come back");
      check(roundTrip(shared) instanceof SharedIntArray, "an array did not come back");
    } finally {
      shared.unlink();
    }
  }

  private static Object roundTrip(Serializable handle) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(handle);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return in.readObject();
    } catch (ClassNotFoundException e) {
      throw new IOException("hub training: " + e, e);
    }
  }

  /**
   * A lock's first use, as a child makes it: its word fetched through the connection; and the
   * handles' own path (taken and given back in the word, and the lambdas a first {@code lock()}
   * links), which in this JVM reaches the hub directly. A child's first {@code lock()}, cold, took
   * 3-13 ms.
   */
  private static void trainLocks(HubRef hub) throws IOException {
    SyncBackend remote = SyncBackend.remote(hub);
    check(remote.lockWord(SyncBackend.newLock()) != null, "no word for a lock");
    check(remote.process() > 0, "no process number");
    for (ProcessLock handle : List.of(new ProcessLock(), new ProcessReentrantLock())) {
      for (int i = 0; i < ROUNDS; i++) {
        handle.lock();
        handle.unlock();
      }
    }
  }

  private static void check(boolean ok, String what) throws IOException {
    if (!ok) {
      throw new StreamCorruptedException("hub training: " + what);
    }
  }
}
