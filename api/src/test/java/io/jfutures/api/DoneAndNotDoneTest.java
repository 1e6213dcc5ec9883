package io.jfutures.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

final class DoneAndNotDoneTest {
  private final CompletableFuture<String> f1 = CompletableFuture.completedFuture("1");
  private final CompletableFuture<String> f2 = new CompletableFuture<>();
  private final CompletableFuture<String> f3 = new CompletableFuture<>();

  @Test
  void new_copiesSets() {
    Set<CompletableFuture<String>> done = new LinkedHashSet<>(List.of(f1));
    Set<CompletableFuture<String>> notDone = new LinkedHashSet<>(List.of(f2));

    DoneAndNotDone<CompletableFuture<String>> result = new DoneAndNotDone<>(done, notDone);
    done.add(f3);
    notDone.clear();

    assertEquals(Set.of(f1), result.done());
    assertEquals(Set.of(f2), result.notDone());
  }

  @Test
  void new_keepsOrder() {
    Set<CompletableFuture<String>> notDone = new LinkedHashSet<>(List.of(f3, f2, f1));

    DoneAndNotDone<CompletableFuture<String>> result = new DoneAndNotDone<>(Set.of(), notDone);

    assertEquals(List.of(f3, f2, f1), List.copyOf(result.notDone()));
  }

  @Test
  void sets_areUnmodifiable() {
    DoneAndNotDone<CompletableFuture<String>> result =
        new DoneAndNotDone<>(new LinkedHashSet<>(List.of(f1)), new LinkedHashSet<>(List.of(f2)));

    assertThrows(UnsupportedOperationException.class, () -> result.done().add(f3));
    assertThrows(UnsupportedOperationException.class, () -> result.done().remove(f1));
    assertThrows(UnsupportedOperationException.class, () -> result.notDone().add(f3));
    assertThrows(UnsupportedOperationException.class, () -> result.notDone().clear());
    assertThrows(
        UnsupportedOperationException.class,
        () -> {
          var it = result.done().iterator();
          it.next();
          it.remove();
        });
  }

  @Test
  void new_nullDone_throwsNpe() {
    Set<CompletableFuture<String>> notDone = Set.of();

    NullPointerException e =
        assertThrows(NullPointerException.class, () -> new DoneAndNotDone<>(null, notDone));

    assertEquals("done", e.getMessage());
  }

  @Test
  void new_nullNotDone_throwsNpe() {
    Set<CompletableFuture<String>> done = Set.of();

    NullPointerException e =
        assertThrows(NullPointerException.class, () -> new DoneAndNotDone<>(done, null));

    assertEquals("notDone", e.getMessage());
  }

  @Test
  void equals_comparesSets() {
    DoneAndNotDone<CompletableFuture<String>> a = new DoneAndNotDone<>(Set.of(f1), Set.of(f2, f3));
    DoneAndNotDone<CompletableFuture<String>> b =
        new DoneAndNotDone<>(
            new LinkedHashSet<>(List.of(f1)), new LinkedHashSet<>(List.of(f3, f2)));

    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
  }
}
