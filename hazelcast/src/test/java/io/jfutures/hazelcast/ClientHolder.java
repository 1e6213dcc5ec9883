package io.jfutures.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;

/**
 * A client JVM for {@link SharedObjectsIT}: joins the cluster as a client, takes a lock and a
 * semaphore's only permit, prints {@code HELD}, and waits until it is killed.
 *
 * <p>Arguments: the cluster's name, its members' addresses (comma-separated), the lock's name and
 * the semaphore's.
 */
public final class ClientHolder {
  private ClientHolder() {}

  public static void main(String[] args) throws Exception {
    HazelcastInstance client =
        HazelcastClient.newHazelcastClient(
            HazelcastWorkers.clientConfig(args[0], List.of(args[1].split(","))));
    ClusterObjects shared = ClusterObjects.using(client);
    shared.lock(args[2]).lock();
    shared.semaphore(args[3], 1).acquire();
    System.out.println("HELD");
    System.out.flush();
    Thread.sleep(600_000); // a helper program's body that must take time: the test kills it
  }
}
