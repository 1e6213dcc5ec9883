package io.jfutures.samples;

import io.jfutures.hazelcast.HazelcastBackend;
import io.jfutures.hazelcast.LocalCluster;
import io.jfutures.impl.BackendExecutor;
import io.jfutures.impl.WorkerDeathPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * When one machine is not enough: the same {@code map} as {@link SquaresMap}, first on a local
 * process pool, then on a cluster of two Hazelcast worker members (started here as two JVMs on
 * loopback; on real machines, each runs {@code WorkerMember}), reached as a client. Each chunk says
 * where it ran: a child JVM's pid, or a member's.
 */
public final class ClusterMap {
  /** Hazelcast's own INFO lines (joins, partitions) would drown the sample's output. */
  private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");

  private ClusterMap() {}

  /** Runs the sample. */
  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /** Maps squares of 1..12 on two child JVMs, then on two cluster members. */
  public static void run(PrintStream out)
      throws IOException, InterruptedException, ExecutionException, TimeoutException {
    out.println("== ClusterMap: the same map on a local process pool, then on a cluster");
    SquaresMap.run(2, 12, 3, out);
    HAZELCAST.setLevel(Level.WARNING);
    out.println("starting a cluster of 2 worker members on loopback ...");
    try (LocalCluster cluster = LocalCluster.start(2);
        BackendExecutor members =
            BackendExecutor.newBuilder(HazelcastBackend.client(cluster.clientConfig()))
                .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER)
                .build()) {
      out.printf("cluster %s, workers: %s%n", cluster.name(), members.workers());
      List<SquaresMap.Square> squares = SquaresMap.run(members, 12, 3, out);
      out.printf(
          "%d results from %d members%n",
          squares.size(), squares.stream().map(SquaresMap.Square::pid).distinct().count());
    }
  }
}
