package io.jfutures.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class JsonTest {

  private static Map<String, Object> sampleResults() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("pools", 5);
    params.put("runs_ms", List.of(181.5, 113.1, 113.5));
    params.put("distinct_pids", new int[] {2, 2, 2});
    params.put("t1_runs_s", new double[] {0.1, 0.25});
    params.put("quick", false);
    params.put("note", "a \"quoted\" \\ back\tslash\nnewline é µs");
    params.put("nothing", null);
    params.put("empty_list", List.of());
    params.put("empty_map", Map.of());
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("value", 113.1);
    entry.put("unit", "ms");
    entry.put("params", params);
    Map<String, Object> stalled = new LinkedHashMap<>();
    stalled.put("value", null);
    stalled.put("unit", "tasks/s");
    stalled.put("params", Map.of());
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("cold_start_ms", entry);
    results.put("recycle_tasks_per_s", stalled);
    return results;
  }

  @Test
  void write_thenParse_roundTrips() {
    Object parsed = Json.parse(Json.write(sampleResults()));
    Map<?, ?> results = (Map<?, ?>) parsed;
    assertEquals(
        List.of("cold_start_ms", "recycle_tasks_per_s"), new ArrayList<>(results.keySet()));
    Map<?, ?> cold = (Map<?, ?>) results.get("cold_start_ms");
    assertEquals(113.1, cold.get("value"));
    assertEquals("ms", cold.get("unit"));
    Map<?, ?> params = (Map<?, ?>) cold.get("params");
    assertEquals(5L, params.get("pools"));
    assertEquals(List.of(181.5, 113.1, 113.5), params.get("runs_ms"));
    assertEquals(List.of(2L, 2L, 2L), params.get("distinct_pids"));
    assertEquals(List.of(0.1, 0.25), params.get("t1_runs_s"));
    assertEquals(false, params.get("quick"));
    assertEquals("a \"quoted\" \\ back\tslash\nnewline é µs", params.get("note"));
    assertTrue(params.containsKey("nothing"));
    assertNull(params.get("nothing"));
    assertEquals(List.of(), params.get("empty_list"));
    assertEquals(Map.of(), params.get("empty_map"));
    assertNull(((Map<?, ?>) results.get("recycle_tasks_per_s")).get("value"));
  }

  @Test
  void write_indentsAsPythonJsonDump() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", List.of(1, 2));
    m.put("b", Map.of("c", "d"));
    assertEquals(
        "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {\n    \"c\": \"d\"\n  }\n}", Json.write(m));
  }

  @Test
  void write_isAscii() {
    String text = Json.write(sampleResults());
    assertTrue(text.chars().allMatch(c -> c < 0x80), text);
    assertTrue(text.contains("\\u00e9"), text);
  }

  @Test
  void write_nonFiniteIsNull() {
    assertEquals(
        "[\n  null,\n  null\n]", Json.write(List.of(Double.NaN, Double.POSITIVE_INFINITY)));
  }

  @Test
  void write_scalars() {
    assertEquals("null", Json.write(null));
    assertEquals("true", Json.write(true));
    assertEquals("12", Json.write(12L));
    assertEquals("0.5", Json.write(0.5));
    assertEquals("\"x\"", Json.write("x"));
    assertEquals("1.0E-5", Json.write(1e-5));
    assertEquals(1e-5, Json.parse("1.0E-5"));
  }

  @Test
  void parse_pythonOutput() {
    String python =
        "{\n  \"cold_start_ms\": {\n    \"value\": 113.1,\n    \"unit\": \"ms\",\n"
            + "    \"params\": {\"runs_ms\": [181.2, 1e2, -3], \"python\": \"3.11.7\","
            + " \"x\": NaN, \"y\": -Infinity, \"u\": \"\\u00b5s\\/\"}\n  }\n}\n";
    Map<?, ?> entry = (Map<?, ?>) ((Map<?, ?>) Json.parse(python)).get("cold_start_ms");
    Map<?, ?> params = (Map<?, ?>) entry.get("params");
    assertEquals(Arrays.asList(181.2, 100.0, -3L), params.get("runs_ms"));
    assertTrue(((Double) params.get("x")).isNaN());
    assertEquals(Double.NEGATIVE_INFINITY, params.get("y"));
    assertEquals("µs/", params.get("u"));
  }

  @Test
  void parse_bigIntegerBecomesDouble() {
    assertEquals(1e20, Json.parse("100000000000000000000"));
    assertEquals(Long.MAX_VALUE, Json.parse(Long.toString(Long.MAX_VALUE)));
  }

  @Test
  void parse_malformed() {
    for (String bad :
        List.of(
            "",
            "{",
            "{\"a\" 1}",
            "[1,]",
            "[1 2]",
            "\"open",
            "tru",
            "{\"a\":1} x",
            "1.2.3",
            "\"\\q\"",
            "{1:2}",
            "-")) {
      assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
    }
  }
}
