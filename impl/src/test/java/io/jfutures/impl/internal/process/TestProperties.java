package io.jfutures.impl.internal.process;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Sets system properties for one test and puts back what each was (or clears it) after the test:
 * {@code @RegisterExtension final TestProperties properties = new TestProperties();}.
 */
final class TestProperties implements AfterEachCallback {
  /** Each property set, with its value before the first set of the test (null: none). */
  private final Map<String, String> before = new LinkedHashMap<>();

  /** Sets {@code key} to {@code value} until the end of the test. */
  void set(String key, String value) {
    if (!before.containsKey(key)) {
      before.put(key, System.getProperty(key));
    }
    System.setProperty(key, value);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    before.forEach(
        (key, value) -> {
          if (value == null) {
            System.clearProperty(key);
          } else {
            System.setProperty(key, value);
          }
        });
    before.clear();
  }
}
