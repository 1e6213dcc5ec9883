package io.jfutures.impl.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Which children get the compiler directive, and its file; no JVM is started here. */
final class LibraryDirectivesTest {
  @TempDir Path dir;
  @RegisterExtension final TestProperties properties = new TestProperties();

  @BeforeEach
  void pointAtTempDir() {
    properties.set(WorkerClassArchive.DIR_PROPERTY, dir.resolve("cds").toString());
  }

  private static Path fileOf(List<String> options) {
    assertEquals(2, options.size(), options.toString());
    assertEquals(LibraryDirectives.UNLOCK, options.get(0));
    assertTrue(options.get(1).startsWith(LibraryDirectives.FILE_OPTION), options.toString());
    return Path.of(options.get(1).substring(LibraryDirectives.FILE_OPTION.length()));
  }

  @Test
  void aChildGetsTheDirective_inAFileWrittenInTheArchivesDirectory() throws Exception {
    Path file = fileOf(LibraryDirectives.options(List.of("-Xmx64m")));
    assertEquals(dir.resolve("cds"), file.getParent());
    assertEquals(LibraryDirectives.DIRECTIVES, Files.readString(file, StandardCharsets.UTF_8));
    assertEquals(file, fileOf(LibraryDirectives.options(List.of())), "the same file each time");
    try (var left = Files.list(file.getParent())) {
      assertEquals(List.of(file), left.toList(), "no temporary file left beside it");
    }
  }

  @Test
  void aFileThatWentAway_isWrittenAgainBeforeTheNextChild() throws Exception {
    Path file = fileOf(LibraryDirectives.options(List.of()));
    Files.delete(file);
    assertEquals(file, fileOf(LibraryDirectives.options(List.of())));
    assertTrue(Files.isRegularFile(file), "a child named it: it must be there to start at all");
  }

  @Test
  void threadsThatAllFindTheFileGone_eachGetIt() throws Exception {
    Path cds = dir.resolve("cds");
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 50; round++) {
        try (var left = Files.list(Files.createDirectories(cds))) {
          for (Path f : left.toList()) {
            Files.delete(f);
          }
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Optional<Path>>> got = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          got.add(
              pool.submit(
                  () -> {
                    go.await();
                    return LibraryDirectives.ensureFile(cds);
                  }));
        }
        go.countDown();
        for (Future<Optional<Path>> f : got) {
          assertTrue(f.get(30, TimeUnit.SECONDS).isPresent(), "a writer lost the race");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theUsersOwnDirectivesFile_orThePropertyOff_meansNone() {
    assertEquals(
        List.of(),
        LibraryDirectives.options(List.of("-XX:CompilerDirectivesFile=/theirs.json")),
        "a JVM reads one such file: theirs");
    properties.set(LibraryDirectives.PROPERTY, "false");
    assertEquals(List.of(), LibraryDirectives.options(List.of()));
  }

  @Test
  void aDirectoryThatCannotBeWritten_meansNone() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
    properties.set(WorkerClassArchive.DIR_PROPERTY, notADirectory.resolve("cds").toString());
    assertEquals(List.of(), LibraryDirectives.options(List.of()));
  }

  @Test
  void sharedValues_areMatchedFirst_soThatC2MayStillInlineTheirAccessors() {
    String text = LibraryDirectives.DIRECTIVES;
    int shared = text.indexOf("io/jfutures/multiprocessing/Shared*.*");
    int all = text.indexOf("\"io/jfutures/multiprocessing/*.*\"");
    assertTrue(shared >= 0 && all > shared, text);
    assertTrue(text.indexOf("Exclude: false") < text.indexOf("Exclude: true"), text);
  }
}
