package io.jfutures.samples;

/** The parser of the README's test example: strict mode comes from a system property. */
final class LegacyParser {
  private LegacyParser() {}

  static int parse(String text) {
    if (!Boolean.getBoolean("parser.strict")) {
      throw new IllegalStateException("run with -Dparser.strict=true, as the test's JVM is");
    }
    return Integer.parseInt(text);
  }
}
