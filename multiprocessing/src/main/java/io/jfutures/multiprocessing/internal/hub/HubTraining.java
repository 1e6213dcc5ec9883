package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.impl.internal.process.TrainingStep;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.Arrays;

/**
 * A child's first use of its parent's hub, played in the training run of the class archive that
 * pool workers and processes map ({@code WorkerClassArchive}): this JVM starts a hub and talks to
 * it as another process would, through a {@link HubClient} over its socket: puts and gets on an
 * unbounded queue (the leased path a child's gets take), then on a bounded one (calls that wait for
 * their reply), and a manager's dict. Without it a child's first queue operation ran cold code
 * loaded from the jar: a probe put a child's first {@code get} at 10-20 ms.
 *
 * <p>It leaves a hub running in this JVM, whose shutdown hook removes its socket: run it only in a
 * JVM that exits after its training (the archive's maker), never in a process's own child.
 */
public final class HubTraining implements TrainingStep {
  private static final Class<?>[] KEY = {Object.class};
  private static final Class<?>[] KEY_VALUE = {Object.class, Object.class};

  /** Round trips per queue: enough to load and link every class of the path. */
  private static final int ROUNDS = 50;

  /** For {@link java.util.ServiceLoader}. */
  public HubTraining() {}

  @Override
  public void train() throws Exception {
    Hub.withMxBean = false; // JMX is no part of a child's path, and would fill the archive
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
  }

  private static void check(boolean ok, String what) throws IOException {
    if (!ok) {
      throw new StreamCorruptedException("hub training: " + what);
    }
  }
}
