package io.jfutures.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's Java examples are code that compiles and runs: each line of each block appears, in
 * order, in {@link ReadmeExamples} or {@code LegacyParserTest} (compared without comments and
 * spaces, since the formatter may wrap a line), and the program runs with the output the README's
 * comments promise.
 */
@Timeout(120)
class ReadmeExamplesIT {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyJavaBlockOfTheReadme_isInTheSamples() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String examples =
        code(Files.readString(Path.of("src/main/java/io/jfutures/samples/ReadmeExamples.java")));
    String test =
        code(Files.readString(Path.of("src/test/java/io/jfutures/samples/LegacyParserTest.java")));
    Matcher m = JAVA_BLOCK.matcher(readme);
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertEquals(4, blocks.size(), "the README's Java blocks");
    for (String block : blocks) {
      String home = block.contains("@IsolatedJvm") ? test : examples;
      int at = 0;
      for (String line : block.split("\n")) {
        String code = code(line);
        if (code.isEmpty()) {
          continue;
        }
        int found = home.indexOf(code, at);
        assertTrue(found >= 0, "the README's line is not in the samples, or not in order: " + line);
        at = found + code.length();
      }
    }
  }

  @Test
  void theExamplesRun_andPrintWhatTheReadmeSays() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      ReadmeExamples.main(new String[0]);
    } finally {
      System.setOut(out);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(printed.startsWith("1\n4\n9\n"), printed);
    assertTrue(printed.contains("42\n") && printed.contains("hello from "), printed);
    assertTrue(printed.contains("{child=42}\nOptionalInt[0]\n"), printed);
    assertTrue(printed.endsWith("OptionalInt[0]\n1\n4\n9\n"), "the cluster's map: " + printed);
  }

  /** {@code text} without {@code //} comments and without whitespace. */
  private static String code(String text) {
    return text.replaceAll("//[^\\n]*", "").replaceAll("\\s+", "");
  }
}
