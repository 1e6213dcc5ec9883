package io.jfutures.impl;

import java.util.concurrent.ThreadFactory;

/**
 * A thread factory whose threads fail to start with {@code error}, as when the JVM runs out of
 * native threads ("unable to create native thread").
 */
final class UnstartableThreads implements ThreadFactory {
  final OutOfMemoryError error = new OutOfMemoryError("unable to create native thread");

  @Override
  public Thread newThread(Runnable r) {
    return new Thread(r) {
      @Override
      public synchronized void start() {
        throw error;
      }
    };
  }
}
