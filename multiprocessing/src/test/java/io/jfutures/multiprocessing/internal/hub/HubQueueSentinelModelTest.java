package io.jfutures.multiprocessing.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Python's poison-pill pattern against a queue's leases, in many random interleavings: producers
 * put every item, then one sentinel per consumer; consumer processes, played here by a model of
 * {@code Leases} and {@code QueueBackend}'s get on peers that record what the hub sends them, take
 * items until a sentinel, then exit. Every item must be taken once, and none left behind.
 *
 * <p>Frames each way arrive in order, at random points: a consumer acts on the hub's between its
 * own gets, as its reader thread does, and the hub reads a consumer's gets, claims, give-backs and
 * end some time after they were sent. CI found the fault this guards against once in a hundred
 * thousand items ({@code ProcessQueueIT}): a give-back put younger items ahead of older ones given
 * back before it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class HubQueueSentinelModelTest {
  private static final int SENTINEL = -1;

  /** A consumer process: its connection's frames, its leases, and its one get at a time. */
  private static final class Consumer {
    final HubQueueLeasesTest.RecordingPeer peer = new HubQueueLeasesTest.RecordingPeer();
    final ArrayDeque<long[]> held = new ArrayDeque<>(); // {lease, item}, in lease order
    final ArrayDeque<Runnable> toHub = new ArrayDeque<>(); // its frames on their way, in order
    final List<Integer> got = new ArrayList<>();
    int window; // as its work between gets is estimated: it may change while active
    boolean active;
    long recalls;
    boolean firstAsked;
    long requests;
    long pending; // the request of the get the hub has not answered, or 0
    boolean stopped; // took its sentinel
    boolean exited; // its connection ended

    Consumer(int window) {
      this.window = window;
    }

    boolean hasFrame() {
      synchronized (peer) {
        return !peer.frames.isEmpty();
      }
    }

    Wire.Frame nextFrame() {
      synchronized (peer) {
        return peer.frames.remove(0);
      }
    }
  }

  private static byte[] bytes(int value) {
    return new byte[] {
      (byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value
    };
  }

  private static int value(byte[] bytes) {
    return (bytes[0] << 24)
        | ((bytes[1] & 0xff) << 16)
        | ((bytes[2] & 0xff) << 8)
        | (bytes[3] & 0xff);
  }

  @Test
  void everyItemIsTakenOnce_beforeTheSentinels_inThousandsOfInterleavings() {
    long only = Long.getLong("hubQueueModel.seed", -1); // one, traced
    long seeds = Long.getLong("hubQueueModel.seeds", 3_000); // more, to search deeper
    for (long seed = Math.max(0, only); seed < (only < 0 ? seeds : only + 1); seed++) {
      run(seed, only >= 0);
    }
  }

  private static void run(long seed, boolean trace) {
    SplittableRandom random = new SplittableRandom(seed);
    HubQueue queue = new HubQueue(1, 0, false, HubQueue.DeadConsumerPolicy.REQUEUE);
    int items = 10 + random.nextInt(40);
    List<Consumer> consumers = new ArrayList<>();
    int count = 2 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      consumers.add(new Consumer(1 + random.nextInt(3)));
    }
    int put = 0;
    int sentinels = 0;
    for (int step = 0; step < 100_000; step++) {
      if (consumers.stream().allMatch(c -> c.exited && c.toHub.isEmpty())) {
        break;
      }
      int action = random.nextInt(5);
      if (action == 0 && sentinels < count) {
        if (trace) {
          System.out.printf("put %d%n", put < items ? put : SENTINEL);
        }
        if (put < items) {
          queue.put(bytes(put++), false, Peer.LOCAL, 0, new CompletableFuture<>());
        } else {
          queue.put(bytes(SENTINEL), false, Peer.LOCAL, 0, new CompletableFuture<>());
          sentinels++;
        }
        continue;
      }
      int who = random.nextInt(count);
      Consumer c = consumers.get(who);
      if (action == 4) {
        if (!c.toHub.isEmpty()) {
          c.toHub.poll().run(); // the hub reads its next frame
        }
        continue;
      }
      if (c.exited) {
        continue;
      }
      if (action == 1 && c.hasFrame()) {
        Wire.Frame f = c.nextFrame();
        if (trace) {
          System.out.printf(
              "c%d frame op=%d req=%d item=%s%n",
              who,
              f.op(),
              f.request(),
              f.payload() == null || f.payload().length < 4 ? "-" : value(f.payload()));
        }
        onFrame(queue, c, f);
      } else if (action == 2 && !c.stopped && c.pending == 0) {
        int before = c.got.size();
        get(queue, c, random);
        if (trace) {
          System.out.printf(
              "c%d get %s%n", who, c.got.size() > before ? c.got.get(before) : "sent");
        }
      } else if (action == 3 && c.stopped && random.nextInt(4) == 0) {
        c.exited = true; // its process ends: its connection with it
        if (trace) {
          System.out.printf("c%d exit holding %d%n", who, c.held.size());
        }
        c.toHub.add(() -> queue.peerGone(c.peer));
      }
    }
    List<Integer> taken = new ArrayList<>();
    for (Consumer c : consumers) {
      assertTrue(c.exited && c.toHub.isEmpty(), "seed " + seed + ": a consumer never stopped");
      taken.addAll(c.got);
    }
    taken.sort(null);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      expected.add(SENTINEL);
    }
    for (int i = 0; i < items; i++) {
      expected.add(i);
    }
    assertEquals(expected, taken, "seed " + seed + ": every item and sentinel taken once");
    assertEquals(0, queue.size(), "seed " + seed);
  }

  /** A get: the oldest item held, else a GET to the hub, and the window from the second on. */
  private static void get(HubQueue queue, Consumer c, SplittableRandom random) {
    if (c.active && random.nextInt(8) == 0) {
      c.window = 1 + random.nextInt(3); // asked for again, in the same generation
      long recalls = c.recalls;
      int window = c.window;
      c.toHub.add(() -> queue.lease(c.peer, recalls, window));
    }
    long[] h = c.held.poll();
    if (h != null) {
      c.toHub.add(() -> queue.claim(c.peer, h[0]));
      took(c, (int) h[1]);
      return;
    }
    boolean asksForWindow = c.firstAsked;
    c.firstAsked = true;
    long request = ++c.requests;
    c.pending = request;
    c.toHub.add(() -> queue.get(true, c.peer, request, null));
    if (asksForWindow && !c.active) {
      c.active = true;
      long recalls = c.recalls;
      int window = c.window;
      c.toHub.add(() -> queue.lease(c.peer, recalls, window));
    }
  }

  private static void onFrame(HubQueue queue, Consumer c, Wire.Frame f) {
    switch (f.op()) {
      case Wire.LEASED -> c.held.add(new long[] {f.request(), value(f.payload())});
      case Wire.RECALL -> {
        c.recalls = f.request();
        c.active = false;
        long[] back = c.held.stream().mapToLong(h -> h[0]).toArray();
        c.held.clear();
        c.toHub.add(() -> queue.giveBack(c.peer, back));
      }
      case Wire.ITEM -> {
        assertEquals(c.pending, f.request());
        c.pending = 0;
        c.toHub.add(() -> queue.ack(c.peer, f.request()));
        took(c, value(f.payload()));
      }
      case Wire.TAKE_LEASED -> c.pending = 0; // its leased items came before this: a get takes them
      default -> throw new AssertionError("unexpected frame " + f.op());
    }
  }

  private static void took(Consumer c, int item) {
    c.got.add(item);
    if (item == SENTINEL) {
      c.stopped = true;
    }
  }
}
