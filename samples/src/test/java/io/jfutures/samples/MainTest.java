package io.jfutures.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.samples.Main.Sample;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

final class MainTest {

  @Test
  void sample_ids() {
    assertEquals(
        List.of(
            "longtasks",
            "squares",
            "initializer",
            "recycling",
            "exception",
            "killed",
            "async",
            "process",
            "pool",
            "queue",
            "joinable",
            "pipe",
            "tickets",
            "shared",
            "lock",
            "sync",
            "manager",
            "cluster",
            "cpu"),
        Arrays.stream(Sample.values()).map(Sample::id).collect(Collectors.toList()));
  }

  @Test
  void parse_noArgument() {
    assertEquals(Optional.of(List.of(Sample.values())), Main.parse());
  }

  @Test
  void parse_all() {
    assertEquals(Optional.of(List.of(Sample.values())), Main.parse("all"));
    assertEquals(Optional.of(List.of(Sample.values())), Main.parse("ALL"));
  }

  @Test
  void parse_empty() {
    assertEquals(Optional.of(List.of(Sample.values())), Main.parse(""));
  }

  @Test
  void parse_eachName() {
    for (Sample sample : Sample.values()) {
      assertEquals(Optional.of(List.of(sample)), Main.parse(sample.id()), sample.id());
    }
  }

  @Test
  void parse_ignoresCaseAndBlanks() {
    assertEquals(Optional.of(List.of(Sample.SQUARES)), Main.parse("Squares"));
    assertEquals(Optional.of(List.of(Sample.INITIALIZER)), Main.parse(" INITIALIZER "));
    assertEquals(Optional.of(List.of(Sample.CPU)), Main.parse("cPu"));
  }

  @Test
  void parse_unknownName() {
    assertEquals(Optional.empty(), Main.parse("fib"));
    assertEquals(Optional.empty(), Main.parse("square"));
  }

  @Test
  void parse_twoNames() {
    assertEquals(Optional.empty(), Main.parse("squares", "cpu"));
  }

  @Test
  void usage_listsEveryName() {
    String usage = Main.usage();
    assertTrue(usage.startsWith("usage: Main"), usage);
    assertTrue(usage.contains("all"), usage);
    for (Sample sample : Sample.values()) {
      assertTrue(usage.contains("  " + sample.id() + " "), sample.id() + " in " + usage);
    }
  }

  @Test
  void run_unknownName() throws Exception {
    Narration out = new Narration();
    Narration err = new Narration();
    int status = Main.run(new String[] {"nope"}, out.out(), err.out());
    assertEquals(Main.USAGE_STATUS, status);
    assertEquals(2, status);
    assertEquals("", out.text());
    assertEquals(Main.usage(), err.text());
  }

  @Test
  void run_twoNames() throws Exception {
    Narration out = new Narration();
    Narration err = new Narration();
    assertEquals(2, Main.run(new String[] {"squares", "cpu"}, out.out(), err.out()));
    assertEquals("", out.text());
    assertTrue(err.text().startsWith("usage: Main"));
  }
}
