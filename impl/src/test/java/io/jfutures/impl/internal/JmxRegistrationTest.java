package io.jfutures.impl.internal;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
final class JmxRegistrationTest {
  @Test
  void withJmxInUse_aRegistrationRunsAtOnce_onTheCallersThread() {
    ManagementFactory.getPlatformMBeanServer();
    assertTrue(JmxRegistration.inUse());
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    JmxRegistration.soon(() -> ranOn.set(Thread.currentThread()), "unused");
    assertSame(Thread.currentThread(), ranOn.get());
  }
}
