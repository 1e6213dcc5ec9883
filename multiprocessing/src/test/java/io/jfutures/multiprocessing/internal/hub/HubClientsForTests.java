package io.jfutures.multiprocessing.internal.hub;

/** What tests of other packages need of {@link HubClient}. */
public final class HubClientsForTests {
  private HubClientsForTests() {}

  /** Closes this JVM's connections to hubs, as {@link HubClient#closeAll} does. */
  public static void closeAll() {
    HubClient.closeAll();
  }
}
