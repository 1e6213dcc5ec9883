package io.jfutures.impl.internal.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class ChildJvmOptionsTest {
  private static List<String> common() {
    List<String> expected = new ArrayList<>(List.of(defaultCollector()));
    NativeTrim.option().ifPresent(expected::add);
    expected.add("-Djava.nio.channels.spi.SelectorProvider=" + jdksProvider());
    expected.add("-XX:CompileCommand=quiet");
    for (String method :
        List.of(
            "sun.nio.ch.SocketChannelImpl::read",
            "sun.nio.ch.SocketChannelImpl::write",
            "sun.nio.ch.SelectorImpl::select",
            "sun.nio.ch.SelectorImpl::selectNow",
            "java.io.ObjectOutputStream::writeObject",
            "java.io.ObjectInputStream::readObject")) {
      expected.add("-XX:CompileCommand=dontinline," + method);
    }
    return expected;
  }

  private static String defaultCollector() {
    return Runtime.version().feature() == 17 ? "-XX:+UseG1GC" : "-XX:+UseSerialGC";
  }

  /** This JVM's selector provider: the JDK's own, as this module's class path offers none. */
  private static String jdksProvider() {
    return java.nio.channels.spi.SelectorProvider.provider().getClass().getName();
  }

  @Test
  void theSelectorProvider_isNamedAsTheParentsOwn_unlessTheUsersOptionsNameOne() {
    assertEquals(
        "-Djava.nio.channels.spi.SelectorProvider=" + jdksProvider(),
        ChildJvmOptions.selectorProvider(List.of("-Dx=y")).orElseThrow());
    String theirs = "-Djava.nio.channels.spi.SelectorProvider=com.example.Provider";
    assertEquals(Optional.empty(), ChildJvmOptions.selectorProvider(List.of(theirs)));
    assertFalse(
        ChildJvmOptions.longLived(List.of(theirs)).stream()
            .anyMatch(o -> o.startsWith("-Djava.nio.channels.spi.SelectorProvider=")),
        "theirs alone, after ours");
  }

  @Test
  void theCollector_isG1OnJdk17_andSerialAfter() {
    assertEquals("-XX:+UseG1GC", ChildJvmOptions.collector(17));
    assertEquals("-XX:+UseSerialGC", ChildJvmOptions.collector(18));
    assertEquals("-XX:+UseSerialGC", ChildJvmOptions.collector(25));
  }

  @Test
  void longLived_scalesTheStart_andBringsTheTaskPathBackToTheDefault() {
    List<String> expected = common();
    expected.add("-XX:CompileThresholdScaling=5");
    for (String pattern :
        List.of("io/jfutures/*.*", "java/io/*.*", "java/nio/*.*", "sun/nio/*.*")) {
      expected.add("-XX:CompileCommand=CompileThresholdScaling," + pattern + ",0.2");
    }
    assertEquals(expected, ChildJvmOptions.longLived(List.of("-Xmx64m", "-Dx=y")));
  }

  @Test
  void shortLived_scalesEveryThreshold() {
    List<String> expected = common();
    expected.add("-XX:CompileThresholdScaling=20");
    assertEquals(expected, ChildJvmOptions.shortLived(List.of("-Xmx64m")));
  }

  @Test
  void aScalingInTheUsersOptions_replacesOurs() {
    for (List<String> options :
        List.of(
            ChildJvmOptions.longLived(List.of("-XX:CompileThresholdScaling=1")),
            ChildJvmOptions.shortLived(List.of("-XX:CompileThresholdScaling=1")))) {
      List<String> expected = common();
      expected.add("-Xms64m"); // the user's options do not size the heap
      assertEquals(expected, options);
    }
  }

  @Test
  void aSmallInitialHeap_unlessTheUsersOptionsSizeTheHeap() {
    assertTrue(ChildJvmOptions.longLived(List.of("-Xss1m", "-Dx=y")).contains("-Xms64m"));
    assertTrue(ChildJvmOptions.shortLived(List.of()).contains("-Xms64m"));
    for (String sizing :
        List.of(
            "-Xmx8m",
            "-Xms1g",
            "-Xmn4m",
            "-XX:MaxHeapSize=1g",
            "-XX:InitialHeapSize=64m",
            "-XX:MinHeapSize=8m",
            "-XX:NewSize=32m",
            "-XX:MaxNewSize=32m",
            "-XX:MaxRAMPercentage=50",
            "-XX:InitialRAMPercentage=5",
            "-XX:MaxRAM=1g")) {
      List<String> options = ChildJvmOptions.longLived(List.of(sizing));
      assertFalse(options.stream().anyMatch(o -> o.startsWith("-Xms")), sizing + ": " + options);
    }
  }

  @Test
  void aCollectorInTheUsersOptions_leavesOursOut() {
    for (String gc :
        List.of(
            "-XX:+UseG1GC",
            "-XX:+UseParallelGC",
            "-XX:+UseZGC",
            "-XX:+UseShenandoahGC",
            "-XX:+UseEpsilonGC",
            "-XX:-UseSerialGC",
            "-XX:+UseSerialGC")) {
      List<String> options = ChildJvmOptions.longLived(List.of("-Xmx64m", gc));
      assertFalse(
          options.stream().anyMatch(o -> o.startsWith("-XX:+Use") && o.endsWith("GC")),
          gc + ": " + options);
      assertTrue(options.contains("-XX:CompileThresholdScaling=5"), gc + ": " + options);
    }
  }

  @Test
  void optionsThatOnlyMentionACollector_keepOurCollector() {
    for (String other :
        List.of(
            "-XX:+UseAdaptiveSizePolicyWithSystemGC",
            "-XX:+UseGCOverheadLimit",
            "-XX:+ExplicitGCInvokesConcurrent",
            "-Xlog:gc")) {
      assertTrue(ChildJvmOptions.shortLived(List.of(other)).contains(defaultCollector()), other);
    }
  }
}
