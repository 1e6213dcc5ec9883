package io.jfutures.benchmarks;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Just enough JSON for result files: {@link #write} prints maps, lists, arrays, strings, numbers,
 * booleans and null as Python's {@code json.dump(..., indent=2)} does; {@link #parse} reads that
 * (and any other JSON text) back.
 *
 * <p>Parsed objects are {@link LinkedHashMap}s (keys in file order), arrays are {@link List}s,
 * integers without a fraction or exponent are {@link Long}s, other numbers {@link Double}s. Written
 * non-finite doubles become {@code null}; {@code NaN} and {@code Infinity}, which Python may write,
 * are read as doubles.
 */
final class Json {
  private Json() {}

  /** Returns {@code value} as indented JSON text, without a trailing newline. */
  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, 0);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out, int depth) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String) {
      quote((String) value, out);
    } else if (value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      out.append(Double.isFinite(d) ? Double.toString(d) : "null");
    } else if (value instanceof Number) {
      out.append(value);
    } else if (value instanceof Map) {
      Map<?, ?> map = (Map<?, ?>) value;
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{');
      String sep = "";
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.append(sep);
        newline(out, depth + 1);
        quote(String.valueOf(e.getKey()), out);
        out.append(": ");
        write(e.getValue(), out, depth + 1);
        sep = ",";
      }
      newline(out, depth);
      out.append('}');
    } else if (value instanceof Collection || value.getClass().isArray()) {
      List<Object> items = asList(value);
      if (items.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append('[');
      String sep = "";
      for (Object item : items) {
        out.append(sep);
        newline(out, depth + 1);
        write(item, out, depth + 1);
        sep = ",";
      }
      newline(out, depth);
      out.append(']');
    } else {
      quote(value.toString(), out);
    }
  }

  private static List<Object> asList(Object value) {
    if (value instanceof Collection) {
      return new ArrayList<>((Collection<?>) value);
    }
    int n = Array.getLength(value);
    List<Object> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      items.add(Array.get(value, i));
    }
    return items;
  }

  private static void newline(StringBuilder out, int depth) {
    out.append('\n');
    for (int i = 0; i < depth; i++) {
      out.append("  ");
    }
  }

  private static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\b':
          out.append("\\b");
          break;
        case '\f':
          out.append("\\f");
          break;
        default:
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  /**
   * Parses one JSON value.
   *
   * @throws IllegalArgumentException if {@code text} is not JSON; the message gives the offset
   */
  static Object parse(String text) {
    Parser p = new Parser(text);
    Object value = p.value();
    p.skipBlanks();
    if (p.pos != text.length()) {
      throw p.error("trailing text");
    }
    return value;
  }

  /** A recursive-descent parser over one string. */
  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("bad JSON at offset " + pos + ": " + what);
    }

    void skipBlanks() {
      while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
        pos++;
      }
    }

    Object value() {
      skipBlanks();
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        case 'N':
          return literal("NaN", Double.NaN);
        case 'I':
          return literal("Infinity", Double.POSITIVE_INFINITY);
        default:
          if (c == '-' && s.startsWith("-Infinity", pos)) {
            return literal("-Infinity", Double.NEGATIVE_INFINITY);
          }
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("unexpected '" + c + "'");
      }
    }

    private Object literal(String word, Object value) {
      if (!s.startsWith(word, pos)) {
        throw error("expected " + word);
      }
      pos += word.length();
      return value;
    }

    private Map<String, Object> object() {
      Map<String, Object> map = new LinkedHashMap<>();
      pos++; // '{'
      skipBlanks();
      if (peek() == '}') {
        pos++;
        return map;
      }
      while (true) {
        skipBlanks();
        if (peek() != '"') {
          throw error("expected a string key");
        }
        String key = string();
        skipBlanks();
        expect(':');
        map.put(key, value());
        skipBlanks();
        if (peek() == ',') {
          pos++;
        } else {
          expect('}');
          return map;
        }
      }
    }

    private List<Object> array() {
      List<Object> list = new ArrayList<>();
      pos++; // '['
      skipBlanks();
      if (peek() == ']') {
        pos++;
        return list;
      }
      while (true) {
        list.add(value());
        skipBlanks();
        if (peek() == ',') {
          pos++;
        } else {
          expect(']');
          return list;
        }
      }
    }

    private char peek() {
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      return s.charAt(pos);
    }

    private void expect(char c) {
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    private String string() {
      pos++; // opening quote
      StringBuilder out = new StringBuilder();
      while (true) {
        char c = peek();
        pos++;
        if (c == '"') {
          return out.toString();
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = peek();
        pos++;
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out.append(e);
            break;
          case 'n':
            out.append('\n');
            break;
          case 'r':
            out.append('\r');
            break;
          case 't':
            out.append('\t');
            break;
          case 'b':
            out.append('\b');
            break;
          case 'f':
            out.append('\f');
            break;
          case 'u':
            if (pos + 4 > s.length()) {
              throw error("short \\u escape");
            }
            try {
              out.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
            } catch (NumberFormatException ex) {
              throw error("bad \\u escape");
            }
            pos += 4;
            break;
          default:
            throw error("bad escape \\" + e);
        }
      }
    }

    private Number number() {
      int start = pos;
      boolean integral = true;
      if (s.charAt(pos) == '-') {
        pos++;
      }
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c >= '0' && c <= '9') {
          pos++;
        } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
          integral = false;
          pos++;
        } else {
          break;
        }
      }
      String digits = s.substring(start, pos);
      try {
        if (integral) {
          try {
            return Long.parseLong(digits);
          } catch (NumberFormatException tooBig) {
            return Double.parseDouble(digits);
          }
        }
        return Double.parseDouble(digits);
      } catch (NumberFormatException e) {
        pos = start;
        throw error("bad number '" + digits + "'");
      }
    }
  }
}
