package io.jfutures.multiprocessing.internal.hub;

import io.jfutures.multiprocessing.SharedMemory;

/** What the hub does with the shared-memory blocks it owns (rings, areas, lanes) when they go. */
final class HubBlocks {
  private HubBlocks() {}

  /**
   * Unlinks {@code block}, if any, and closes this JVM's handle: a block already gone is no error,
   * as the program's clean-up removes what is left. Called without locks a thread stopped by the
   * JVM's exit may hold.
   */
  static void unlink(SharedMemory block) {
    if (block == null) {
      return;
    }
    try {
      block.unlink();
    } catch (RuntimeException e) {
      // gone already
    }
    block.close();
  }
}
