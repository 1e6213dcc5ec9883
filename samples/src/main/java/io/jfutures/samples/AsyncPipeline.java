package io.jfutures.samples;

import io.jfutures.api.Executor;
import io.jfutures.api.Futures;
import io.jfutures.api.SerializableCallable;
import io.jfutures.impl.ProcessPoolExecutor;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Ordinary {@code CompletableFuture} and {@code java.util.concurrent} code on a process pool: the
 * CPU-bound steps of an async pipeline run in child JVMs, and the stages after them in this one.
 *
 * <ul>
 *   <li>{@code Futures.supplyAsync(supplier, pool)} in place of {@code
 *       CompletableFuture.supplyAsync}, whose wrapper cannot travel to a child JVM (the pool
 *       refuses it at the call, saying so);
 *   <li>continuations with {@code thenApply} and {@code thenCombine}, one of which submits a
 *       follow-up task and waits for it: a callback may use the pool again;
 *   <li>{@code invokeAll} with serializable callables;
 *   <li>{@code submit} of a void lambda that throws a checked exception.
 * </ul>
 */
public final class AsyncPipeline {
  private AsyncPipeline() {}

  /**
   * A word's digest, and where it was computed.
   *
   * @param word the input
   * @param digest a slow hash of it
   * @param pid the process id of the JVM that computed it
   */
  public record Digest(String word, long digest, long pid) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * What the pipeline produced.
   *
   * @param digests each word's digest, in input order
   * @param combined the digests combined, by a follow-up task a callback submitted
   * @param lengths the words' lengths, by {@code invokeAll}
   * @param refusal what {@code CompletableFuture.supplyAsync} on the pool said, or null on a thread
   *     pool, where it works
   */
  public record Outcome(
      List<Digest> digests, long combined, List<Integer> lengths, String refusal) {}

  /** Runs the pipeline over a few words on a pool of two child JVMs. */
  public static void main(String[] args) throws Exception {
    try (ProcessPoolExecutor pool = ProcessPoolExecutor.newBuilder().maxWorkers(2).build()) {
      run(pool, List.of("alpha", "beta", "gamma", "delta"), System.out);
    }
  }

  /**
   * Digests {@code words} on {@code pool}, combines the digests in a continuation that submits a
   * follow-up task, and measures the words with {@code invokeAll}, printing each step.
   */
  public static Outcome run(Executor pool, List<String> words, PrintStream out)
      throws InterruptedException, ExecutionException, TimeoutException {
    out.println("== AsyncPipeline: CompletableFuture code on " + pool);
    String refusal = null;
    try {
      CompletableFuture.supplyAsync(() -> 1, pool).get(60, TimeUnit.SECONDS);
      out.println("CompletableFuture.supplyAsync(..., pool) ran: this is a thread pool");
    } catch (RejectedExecutionException e) {
      refusal = e.getMessage();
      out.println("CompletableFuture.supplyAsync(..., pool) is refused at the call:");
      out.println("  " + refusal.substring(0, Math.min(160, refusal.length())) + "...");
    }

    List<CompletableFuture<Digest>> digests = new ArrayList<>();
    for (String word : words) {
      // The supplier is a serializable lambda; the word it captures travels with it.
      digests.add(
          Futures.supplyAsync(() -> new Digest(word, slowDigest(word), Workers.pid()), pool));
    }
    CompletableFuture<Long> combined =
        CompletableFuture.allOf(digests.toArray(new CompletableFuture<?>[0]))
            .thenApply(
                done -> digests.stream().map(CompletableFuture::join).collect(Collectors.toList()))
            // A continuation that submits a follow-up task to the same pool and waits for it.
            .thenApply(
                all -> {
                  long[] values = all.stream().mapToLong(Digest::digest).toArray();
                  return pool.submit(() -> combine(values)).join();
                });
    long total = combined.get(60, TimeUnit.SECONDS);
    List<Digest> results =
        digests.stream().map(CompletableFuture::join).collect(Collectors.toList());
    for (Digest d : results) {
      out.printf("%-6s -> %016x, computed in pid %d%n", d.word(), d.digest(), d.pid());
    }
    out.printf("combined by a follow-up task submitted from a callback: %016x%n", total);

    List<Callable<Integer>> lengths = new ArrayList<>();
    for (String word : words) {
      SerializableCallable<Integer> length = word::length;
      lengths.add(length);
    }
    List<Integer> measured = new ArrayList<>();
    for (Future<Integer> f : pool.invokeAll(lengths)) {
      measured.add(f.get());
    }
    out.println("invokeAll of the words' lengths: " + measured);

    // A void lambda that may throw a checked exception: the serializable overload takes it.
    pool.submit(() -> Thread.sleep(10)).get(60, TimeUnit.SECONDS);
    out.println("submit(() -> Thread.sleep(10)) compiled and ran");
    return new Outcome(results, total, measured, refusal);
  }

  /** A deliberately slow hash: CPU work worth a child JVM. */
  static long slowDigest(String word) {
    long h = 1125899906842597L;
    for (int round = 0; round < 200_000; round++) {
      for (int i = 0; i < word.length(); i++) {
        h = 31 * h + word.charAt(i) + round;
      }
    }
    return h;
  }

  static long combine(long[] values) {
    long h = 17;
    for (long v : values) {
      h = h * 31 + v;
    }
    return h;
  }
}
