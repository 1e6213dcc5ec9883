package io.jfutures.multiprocessing.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.impl.internal.jvm.ChildJvmSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A spare serves a process launched as it was, the options of a class archive aside: a spare booted
 * before its archive appeared was discarded, and the process started cold.
 */
final class StandbySameLaunchTest {
  private static ChildJvmSpec spec(String name, List<String> options) {
    return new ChildJvmSpec(
        name,
        Path.of("/opt/jdk/bin/java"),
        options,
        List.of("/app/app.jar"),
        List.of(),
        Map.of(),
        null,
        "io.example.Main",
        List.of("standby"),
        Duration.ofSeconds(30));
  }

  @Test
  void theOptionsOfAClassArchive_orOfARecordingChild_doNotMatter() {
    ChildJvmSpec bare = spec("spare", List.of("-Xmx256m"));
    ChildJvmSpec archived =
        spec(
            "p",
            List.of(
                "-XX:SharedArchiveFile=/c/worker-1.app.jsa",
                "-Xshare:auto",
                "-Xlog:class+load=info:file=/c/worker-1.app.jsa.ab.seen:none:filecount=0",
                "-XX:DumpLoadedClassList=/c/worker-1.app.jsa.ab.classlist",
                "-Djfutures.cds.learn=/c/worker-1.app.jsa.ab.seen",
                "-Xmx256m"));
    assertTrue(Standby.sameLaunch(bare, archived));
    assertTrue(
        Standby.sameLaunch(spec("p", List.of("-XX:AOTCache=/c/worker-2.aot", "-Xmx256m")), bare));
  }

  @Test
  void anOptionOfTheUsers_does() {
    assertFalse(
        Standby.sameLaunch(spec("spare", List.of("-Xmx256m")), spec("p", List.of("-Xmx512m"))));
    assertFalse(
        Standby.sameLaunch(
            spec("spare", List.of("-Xmx256m")), spec("p", List.of("-Xmx256m", "-Xshare:off"))));
  }
}
