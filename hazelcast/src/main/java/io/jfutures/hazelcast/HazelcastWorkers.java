package io.jfutures.hazelcast;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import io.jfutures.spi.backend.BackendWorker;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The configuration a cluster needs to run jfutures tasks: on a member, the executor service the
 * tasks run in and the attributes that describe it as a worker; on a client, where the cluster is.
 * Plain Hazelcast configuration otherwise: adjust the returned objects as you would any other.
 */
public final class HazelcastWorkers {
  /** The name of the members' executor service that runs jfutures tasks. */
  public static final String EXECUTOR = "jfutures";

  /** The member attribute that says how many tasks the member runs at once. */
  public static final String SLOTS = "jfutures.slots";

  /** The member attribute that holds the member's process id, for crash reports. */
  public static final String PID = "jfutures.pid";

  private HazelcastWorkers() {}

  /**
   * Returns a member configuration that joins {@code members} over TCP/IP, with multicast and
   * auto-detection off, and runs {@code slots} jfutures tasks at once.
   *
   * @param clusterName the cluster's name; members and clients of other names are not let in
   * @param bindAddress the address this member listens on, as {@code 127.0.0.1}
   * @param port the port this member listens on
   * @param members the addresses of the members to join, as {@code 127.0.0.1:5701}; may include
   *     this member's own
   * @param slots how many tasks this member runs at once, at least 1
   * @return a member configuration
   */
  public static Config memberConfig(
      String clusterName, String bindAddress, int port, List<String> members, int slots) {
    Objects.requireNonNull(clusterName, "clusterName");
    Objects.requireNonNull(bindAddress, "bindAddress");
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface(bindAddress);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(List.copyOf(members));
    return asWorker(config, slots);
  }

  /**
   * Makes a member of {@code config} a jfutures worker: its executor service runs {@code slots}
   * tasks at once, and its attributes say so, with its process id.
   *
   * @param config a member configuration
   * @param slots how many tasks the member runs at once, at least 1
   * @return {@code config}
   */
  public static Config asWorker(Config config, int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be at least 1, was " + slots);
    }
    config.getExecutorConfig(EXECUTOR).setPoolSize(slots);
    config.getMemberAttributeConfig().setAttribute(SLOTS, Integer.toString(slots));
    config
        .getMemberAttributeConfig()
        .setAttribute(PID, Long.toString(ProcessHandle.current().pid()));
    return config;
  }

  /**
   * How long a client made by {@link #clientConfig} tries to reach its cluster, at start and after
   * losing it, before it gives up and shuts down: an executor over it then breaks, rather than
   * leaving its tasks waiting for a cluster that is gone. Hazelcast's own default is to try for
   * ever.
   */
  public static final Duration CLUSTER_CONNECT_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Returns a client configuration for the cluster of that name at those addresses, which gives up
   * after {@link #CLUSTER_CONNECT_TIMEOUT} without a member.
   *
   * @param clusterName the cluster's name
   * @param addresses some of its members' addresses, as {@code 10.0.0.5:5701}
   * @return a client configuration
   */
  public static ClientConfig clientConfig(String clusterName, List<String> addresses) {
    ClientConfig config = new ClientConfig();
    config.setClusterName(Objects.requireNonNull(clusterName, "clusterName"));
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.getNetworkConfig().setAddresses(List.copyOf(addresses));
    config
        .getConnectionStrategyConfig()
        .getConnectionRetryConfig()
        .setClusterConnectTimeoutMillis(CLUSTER_CONNECT_TIMEOUT.toMillis());
    return config;
  }

  /** Describes a data member as a worker, from its attributes. */
  static BackendWorker worker(Member m) {
    String pid = m.getAttribute(PID);
    String slots = m.getAttribute(SLOTS);
    return new BackendWorker(
        m.getUuid().toString(),
        "member " + m.getAddress().getHost() + ":" + m.getAddress().getPort(),
        pid == null ? -1 : parse(pid, -1),
        slots == null
            ? Runtime.getRuntime().availableProcessors()
            : (int) Math.max(1, parse(slots, 1)));
  }

  private static long parse(String s, long otherwise) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  /**
   * Waits until the cluster is safe: every partition's backup is in sync with its owner, so that
   * one member's death loses no data. Right after a member joins or leaves, Hazelcast moves
   * partitions between members, and a member that dies before that is done can take entries of maps
   * and items of queues with it (seen in tests: an item of a joinable queue lost with a member
   * killed seconds after the cluster formed). Call it after starting or changing a cluster, before
   * relying on a member's death being survived.
   *
   * @param instance a member or a client of the cluster
   * @param timeout how long to wait at most
   * @return whether the cluster was safe before the timeout
   * @throws InterruptedException if interrupted while waiting
   */
  public static boolean awaitSafe(HazelcastInstance instance, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        boolean safe;
        if (instance.getLocalEndpoint() instanceof Member) {
          safe = instance.getPartitionService().isClusterSafe();
        } else {
          // A client cannot ask: a member answers.
          safe =
              instance
                  .getExecutorService(ADMIN_EXECUTOR)
                  .submit(new SafeCheck())
                  .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        if (safe) {
          return true;
        }
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        // a member leaving under the question: ask again
      }
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      Thread.sleep(SAFE_POLL.toMillis());
    }
  }

  /** The members' executor service that answers a client's questions about the cluster. */
  private static final String ADMIN_EXECUTOR = "jfutures.admin";

  private static final Duration SAFE_POLL = Duration.ofMillis(100);

  /** Asks the member it runs on whether the cluster is safe. */
  static final class SafeCheck implements Callable<Boolean>, Serializable, HazelcastInstanceAware {
    private static final long serialVersionUID = 1L;
    private transient HazelcastInstance member;

    @Override
    public void setHazelcastInstance(HazelcastInstance member) {
      this.member = member;
    }

    @Override
    public Boolean call() {
      return member.getPartitionService().isClusterSafe();
    }
  }
}
