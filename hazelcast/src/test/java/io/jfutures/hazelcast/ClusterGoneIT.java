package io.jfutures.hazelcast;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.client.config.ClientConfig;
import io.jfutures.api.BrokenProcessPoolException;
import io.jfutures.api.WorkerDiedException;
import io.jfutures.impl.BackendExecutor;
import io.jfutures.impl.WorkerDeathPolicy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole cluster dies under a client's executor: the running task fails as lost, and once the
 * client gives up reconnecting, the executor breaks and its queued task fails too: no future waits
 * for ever for a cluster that is gone.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
final class ClusterGoneIT {

  @Test
  void aClusterThatIsGone_breaksTheExecutor_onceItsClientGivesUp() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(1)) {
      ClientConfig config = cluster.clientConfig();
      config
          .getConnectionStrategyConfig()
          .getConnectionRetryConfig()
          .setClusterConnectTimeoutMillis(3_000);
      BackendExecutor ex =
          BackendExecutor.newBuilder(HazelcastBackend.client(config))
              .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER)
              .build();
      await().atMost(30, SECONDS).until(() -> ex.workers().size() == 1);
      CompletableFuture<Object> running =
          ex.submit(
              () -> {
                Thread.sleep(120_000); // inside a task: it runs until its member dies
                return null;
              });
      await().atMost(30, SECONDS).until(() -> ex.toString().contains("running=1"));
      CompletableFuture<Integer> queued = ex.submit(() -> 1);
      Process member = cluster.process(0);
      new ProcessBuilder("kill", "-9", Long.toString(member.pid())).start().waitFor();
      member.onExit().get(30, SECONDS);
      ExecutionException lost =
          assertThrows(ExecutionException.class, () -> running.get(30, SECONDS));
      assertInstanceOf(WorkerDiedException.class, lost.getCause());
      ExecutionException broken =
          assertThrows(ExecutionException.class, () -> queued.get(60, SECONDS));
      BrokenProcessPoolException b =
          assertInstanceOf(BrokenProcessPoolException.class, broken.getCause());
      assertTrue(b.getMessage().contains("gave up reconnecting"), b.getMessage());
      assertThrows(BrokenProcessPoolException.class, () -> ex.submit(() -> 2));
      assertTrue(ex.awaitTermination(30, SECONDS));
    }
  }
}
