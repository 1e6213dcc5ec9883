package io.jfutures.samples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Captures what a sample prints, and echoes it to standard output for the test report. */
final class Narration {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  /** Returns the stream to hand to a sample. */
  PrintStream out() {
    return out;
  }

  /** Returns what was printed so far, and echoes it. */
  String text() {
    String text = bytes.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    return text;
  }
}
