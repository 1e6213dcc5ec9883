package io.jfutures.samples;

import io.jfutures.multiprocessing.JvmProcess;
import io.jfutures.multiprocessing.ProcessQueue;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Python's Queue writer/reader pair, in Java: a reader {@link JvmProcess} takes items from a {@link
 * ProcessQueue} until {@code "DONE"}, while the main JVM writes them.
 *
 * <pre>{@code
 * def reader_proc(queue):
 *     while True:
 *         msg = queue.get()
 *         if msg == 'DONE':
 *             break
 *
 * def writer(count, queue):
 *     for ii in range(0, count):
 *         queue.put(ii)
 *     queue.put('DONE')
 * }</pre>
 */
public final class QueueWriterReader {
  private QueueWriterReader() {}

  /** The reader: takes items until "DONE", then writes how many and their sum to {@code file}. */
  static void readerProc(ProcessQueue<Object> queue, String file) throws Exception {
    long count = 0;
    long sum = 0;
    for (Object msg = queue.get(); !"DONE".equals(msg); msg = queue.get()) {
      count++;
      sum += (Integer) msg;
    }
    Files.writeString(Path.of(file), count + " " + sum);
  }

  /** Writes {@code count} integers, then "DONE". */
  static void writer(int count, ProcessQueue<Object> queue) throws InterruptedException {
    for (int ii = 0; ii < count; ii++) {
      queue.put(ii);
    }
    queue.put("DONE");
  }

  /**
   * Runs the pair with {@code count} items; returns what the reader reported: {@code "count sum"}.
   */
  public static String run(int count, PrintStream out) throws Exception {
    ProcessQueue<Object> queue = new ProcessQueue<>();
    Path report = Files.createTempFile("jfutures-reader", ".txt");
    try {
      String file = report.toString();
      JvmProcess reader = new JvmProcess(() -> readerProc(queue, file)).start();
      long start = System.nanoTime();
      writer(count, queue);
      reader.join();
      out.printf(
          "sending %d numbers to the queue() took %.3f s; the reader exited with %d%n",
          count, (System.nanoTime() - start) / 1e9, reader.exitCode().orElseThrow());
      String got = Files.readString(report);
      out.println("the reader got (count, sum): " + got);
      return got;
    } finally {
      Files.deleteIfExists(report);
    }
  }
}
