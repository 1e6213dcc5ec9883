package io.jfutures.samples;

import io.jfutures.multiprocessing.JvmProcess;
import io.jfutures.multiprocessing.ProcessQueue;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The ticket-buying race, in Java: buyer processes compete for a fixed number of tickets. In
 * Python's version the tickets are a shared counter that buyers read and decrement, and without a
 * lock more tickets are sold than exist. Here the tickets are items of a {@link ProcessQueue}: a
 * buyer buys one by taking it, which only one buyer can, so exactly as many are sold as exist, and
 * no buyer waits once they are gone.
 *
 * <pre>{@code
 * def buy(tickets, sold):
 *     while tickets.value > 0:        # the race: check,
 *         tickets.value -= 1          # then act
 *         sold.put(os.getpid())
 * }</pre>
 */
public final class TicketRace {
  private TicketRace() {}

  static void buy(ProcessQueue<Integer> tickets, ProcessQueue<String> sold) throws Exception {
    while (true) {
      int ticket;
      try {
        ticket = tickets.getNowait();
      } catch (NoSuchElementException soldOut) {
        return;
      }
      sold.put("ticket " + ticket + " to pid " + ProcessHandle.current().pid());
    }
  }

  /** Sells {@code count} tickets to {@code buyers} buyer processes; returns the sales. */
  public static List<String> run(int count, int buyers, PrintStream out) throws Exception {
    ProcessQueue<Integer> tickets = new ProcessQueue<>();
    for (int t = 1; t <= count; t++) {
      tickets.put(t);
    }
    ProcessQueue<String> sold = new ProcessQueue<>();
    List<JvmProcess> started = new ArrayList<>();
    for (int b = 0; b < buyers; b++) {
      started.add(new JvmProcess(() -> buy(tickets, sold)).start());
    }
    for (JvmProcess p : started) {
      p.join();
    }
    List<String> sales = new ArrayList<>();
    sold.drainTo(sales);
    out.printf(
        "%d tickets, %d buyers: %d sold, %d left (no ticket sold twice)%n",
        count, buyers, sales.size(), tickets.qsize());
    sales.stream().limit(3).forEach(s -> out.println("  " + s));
    if (sales.size() != count) {
      throw new IllegalStateException("sold " + sales.size() + " of " + count + " tickets");
    }
    return sales;
  }
}
