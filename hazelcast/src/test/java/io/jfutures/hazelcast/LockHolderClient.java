package io.jfutures.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;

/**
 * A client JVM that takes a cluster lock and holds it until it is killed: {@code LockHolderClient
 * CLUSTER ADDRESSES LOCK}; prints {@value #LOCKED} once it holds the lock.
 */
public final class LockHolderClient {
  static final String LOCKED = "locked";

  private LockHolderClient() {}

  public static void main(String[] args) throws Exception {
    HazelcastInstance client =
        HazelcastClient.newHazelcastClient(
            HazelcastWorkers.clientConfig(args[0], List.of(args[1].split(","))));
    ClusterObjects.using(client).lock(args[2]).lock();
    System.out.println(LOCKED);
    System.out.flush();
    Thread.sleep(120_000); // inside a task: the holder program holds the lock until killed
  }
}
