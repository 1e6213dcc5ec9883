package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.multiprocessing.SharedMemory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The words in shared memory that say who holds each lock, so that a lock is taken and given back
 * without a round trip to its hub when nobody waits (a futex, done in Java): the hub's own JVM
 * allocates them in blocks it owns, and every process that uses a lock maps its block. An event's
 * flag is such a word too, with a layout of its own ({@link EventWord}), and so is a consumer's
 * claim word for a queue's leases (the last lease its gets took: {@link HubQueue}).
 *
 * <pre>
 * A lock's word: FREE (0) | OWNER_DIED (2: free, and its last holder's process died holding it) |
 * HELD (a thread's token, bit 0 clear) | HELD_WAITED (token | 1: someone waits at the hub).
 * A thread takes a FREE word with one compare-and-set, and gives back a HELD one with another.
 * Only the hub sets bit 0, and only the hub changes a word whose bit 0 is set or that reads
 * OWNER_DIED: it hands the lock to the first waiter, or frees it, in one step.
 * A token is (pid << 32) | (thread id << 1): the hub reads a holder's process from it.
 * </pre>
 */
public final class LockWords {
  /** A free lock. */
  static final long FREE = 0;

  /** A free lock whose last holder died holding it: the next holder learns it from the hub. */
  public static final long OWNER_DIED = 2;

  /** Set while threads wait for the lock at the hub: its holder gives it back through the hub. */
  static final long WAITED = 1;

  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final int WORDS_PER_BLOCK = 4096;

  /** The blocks this process mapped, by name. */
  private static final Map<String, ByteBuffer> MAPPED = new ConcurrentHashMap<>();

  /** The hub's blocks, and the next free word: guarded by this. */
  private final List<SharedMemory> blocks = new ArrayList<>();

  private int next = WORDS_PER_BLOCK;

  /** Words no longer used, each with the process that last wrote it. Guarded by this. */
  private final ArrayDeque<Freed> freed = new ArrayDeque<>();

  private record Freed(Word word, long pid) {}

  /** How many freed words one allocation looks at before it takes a new one. */
  private static final int REUSE_CHECKS = 4;

  /** One lock's word. */
  public static final class Word {
    private final ByteBuffer buffer;
    private final int offset;
    final String block;
    final int index;

    Word(ByteBuffer buffer, String block, int index) {
      this.buffer = buffer;
      this.offset = index * Long.BYTES;
      this.block = block;
      this.index = index;
    }

    /** Returns the word. */
    public long get() {
      return (long) LONGS.getVolatile(buffer, offset);
    }

    /** Sets the word to {@code update} if it is {@code expect}; returns whether it was. */
    public boolean compareAndSet(long expect, long update) {
      return LONGS.compareAndSet(buffer, offset, expect, update);
    }

    void set(long value) {
      LONGS.setVolatile(buffer, offset, value);
    }

    /** Returns this word and the {@code n - 1} after it, in the same block: a run's words. */
    Word[] run(int n) {
      Word[] run = new Word[n];
      for (int i = 0; i < n; i++) {
        run[i] = new Word(buffer, block, index + i);
      }
      return run;
    }
  }

  /** A word in memory of this JVM only: for tests of the hub's side. */
  static Word detached() {
    return detached(1);
  }

  /** A run of {@code n} words in memory of this JVM only: for tests of the hub's side. */
  static Word detached(int n) {
    return new Word(ByteBuffer.allocateDirect(n * Long.BYTES), "", 0);
  }

  /** Allocates a free word, set to 0: for a new lock, an event, or a claim word. */
  synchronized Word allocate() {
    Word reused = reuse();
    if (reused != null) {
      return reused;
    }
    return allocateRun(1);
  }

  /**
   * Allocates {@code n} adjacent free words, set to 0, in one block: the first is returned, the
   * others follow it ({@link Word#run}). Never given back (a semaphore's, a barrier's or a
   * condition's, which live as long as their hub).
   */
  synchronized Word allocateRun(int n) {
    if (next + n > WORDS_PER_BLOCK) {
      // The hub unlinks it at its exit; the program's clean-up is a back-stop, and says nothing
      // about files named jfutures_internal_.
      SharedMemory block =
          SharedMemory.create(
              "jfutures_internal_locks_" + ProcessHandle.current().pid() + "_" + System.nanoTime(),
              (long) WORDS_PER_BLOCK * Long.BYTES);
      blocks.add(block);
      MAPPED.put(block.name(), block.buffer());
      next = 0;
    }
    SharedMemory block = blocks.get(blocks.size() - 1);
    Word first = new Word(MAPPED.get(block.name()), block.name(), next);
    next += n;
    return first;
  }

  /**
   * Gives back {@code word}, last written by process {@code pid}. It is reused only once that
   * process has exited: a process whose connection to the hub broke may live on, and write it.
   */
  synchronized void free(Word word, long pid) {
    freed.add(new Freed(word, pid));
  }

  private Word reuse() {
    for (int i = 0, n = Math.min(freed.size(), REUSE_CHECKS); i < n; i++) {
      Freed f = freed.poll();
      if (!running(f.pid())) {
        f.word().set(FREE);
        return f.word();
      }
      freed.add(f);
    }
    return null;
  }

  /** Removes the blocks' names, at the hub's exit: nobody can use its locks any more. */
  synchronized void unlinkAll() {
    for (SharedMemory block : blocks) {
      try {
        block.unlink();
      } catch (RuntimeException e) {
        // removed already: the program's clean-up comes after
      }
    }
  }

  /** Returns word {@code index} of block {@code block}, mapping the block on first use here. */
  public static Word attach(String block, int index) {
    ByteBuffer buffer = MAPPED.get(block);
    if (buffer == null) { // not computeIfAbsent's lambda: a cold JVM links each at its first use
      synchronized (MAPPED) {
        buffer = MAPPED.get(block);
        if (buffer == null) {
          try (SharedMemory attached = SharedMemory.attach(block)) {
            buffer = attached.buffer();
          }
          MAPPED.put(block, buffer);
        }
      }
    }
    return new Word(buffer, block, index);
  }

  private static final long PID = ProcessHandle.current().pid();

  /**
   * The first number a hub gives the processes of its TCP clients, instead of their pids (which are
   * another machine's): above every pid.
   */
  static final long TCP_PROCESSES = 1L << 31;

  /** Returns {@code thread}'s token: its process (as the lock's hub knows it) and its id. */
  public static long token(long process, Thread thread) {
    return (process << 32) | ((thread.getId() & 0x7FFF_FFFFL) << 1);
  }

  /** Returns this process's pid. */
  static long pid() {
    return PID;
  }

  /** Returns the holder's token in word value {@code w}, or 0 if nobody holds it. */
  public static long holder(long w) {
    return w == OWNER_DIED ? 0 : w & ~WAITED;
  }

  /** Returns the process (a pid, or a TCP client's number) whose thread holds {@code w}. */
  public static long pid(long w) {
    return w >>> 32;
  }

  /**
   * Whether {@code pid} runs: a connection can break while its process lives on, and then the lock
   * stays its. A process that has exited but not yet been reaped (a zombie) does not run.
   */
  public static boolean running(long pid) {
    if (pid >= TCP_PROCESSES) {
      return false; // a TCP client's process: the end of its connection is its end here
    }
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (java.io.IOException | RuntimeException e) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
  }
}
