/** A JUnit 5 extension: {@code @IsolatedJvm} runs a test in a fresh child JVM. */
module io.jfutures.junit {
  requires transitive org.junit.jupiter.api;
  requires org.junit.platform.launcher;
  requires org.junit.platform.commons;
  requires org.opentest4j;
  requires io.jfutures.multiprocessing;
  requires io.jfutures.impl;

  exports io.jfutures.junit;
}
