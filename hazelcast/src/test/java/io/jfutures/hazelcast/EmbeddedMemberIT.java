package io.jfutures.hazelcast;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import io.jfutures.impl.BackendExecutor;
import io.jfutures.impl.WorkerDeathPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * This JVM as a member: it joins a one-member cluster, the executor runs tasks on both members
 * (this JVM among them), and the member this executor started leaves when it terminates.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
final class EmbeddedMemberIT {

  private static long sleepThenPid(long millis) throws InterruptedException {
    Thread.sleep(millis); // inside a task: a task that takes time
    return ProcessHandle.current().pid();
  }

  @Test
  void anEmbeddedMember_runsTasksBesideTheOthers_andLeavesWithItsExecutor() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(1)) {
      int port = LocalCluster.freePorts(1).get(0); // one no outgoing connection takes meanwhile
      List<String> members = new ArrayList<>(cluster.addresses());
      members.add("127.0.0.1:" + port);
      Config config = HazelcastWorkers.memberConfig(cluster.name(), "127.0.0.1", port, members, 1);
      BackendExecutor ex =
          BackendExecutor.newBuilder(HazelcastBackend.embedded(config))
              .workerDeathPolicy(WorkerDeathPolicy.REPLACE_WORKER)
              .build();
      await().atMost(60, SECONDS).until(() -> ex.workers().size() == 2);
      List<CompletableFuture<Long>> tasks = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        tasks.add(ex.submit(() -> sleepThenPid(300)));
      }
      Set<Long> ranOn = new HashSet<>();
      for (CompletableFuture<Long> f : tasks) {
        ranOn.add(f.get(60, SECONDS));
      }
      assertEquals(
          Set.of(ProcessHandle.current().pid(), cluster.process(0).pid()),
          ranOn,
          "tasks ran here and on the other member");
      ex.close();
      assertTrue(ex.isTerminated());
      assertTrue(Hazelcast.getAllHazelcastInstances().isEmpty(), "the embedded member left");
      assertFalse(cluster.process(0) == null, "the other member runs on");
    }
  }
}
