package io.jfutures.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.impl.internal.jvm.JvmTree;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class SharedMemoryTest {
  private final List<SharedMemory> owned = new ArrayList<>();

  private SharedMemory create(long size) {
    SharedMemory block = SharedMemory.create(size);
    owned.add(block);
    return block;
  }

  @AfterEach
  void unlinkAll() {
    owned.forEach(SharedMemory::unlink);
    owned.forEach(b -> assertFalse(Files.exists(JvmTree.files().resolve(b.name()))));
  }

  @Test
  void anAttachedHandle_seesTheSameMemory() {
    SharedMemory block = create(100);
    try (SharedMemory other = SharedMemory.attach(block.name())) {
      block.buffer().putLong(8, 0x0123456789L);
      assertEquals(0x0123456789L, other.buffer().getLong(8));
      other.buffer().put(99, (byte) 7);
      assertEquals(7, block.buffer().get(99));
      assertEquals(100, other.size());
      assertTrue(block.isOwner());
      assertFalse(other.isOwner());
    }
  }

  @Test
  void aNewBlock_isZero_ofExactlyItsSize_andOnlyItsUserMayOpenIt() throws IOException {
    SharedMemory block = create(4097);
    ByteBuffer b = block.buffer();
    assertEquals(4097, b.remaining());
    while (b.hasRemaining()) {
      assertEquals(0, b.get());
    }
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(JvmTree.files().resolve(block.name()))));
  }

  @Test
  void aTakenName_isRefusedWithTheExistingFile() {
    SharedMemory block = create(8);
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> SharedMemory.create(block.name(), 8));
    assertInstanceOf(FileAlreadyExistsException.class, e.getCause());
    assertTrue(e.getMessage().contains("exists already"), e.getMessage());
  }

  @Test
  void attachingToNoBlock_saysSo() {
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> SharedMemory.attach("jfutures_no_such"));
    assertInstanceOf(NoSuchFileException.class, e.getCause());
    assertTrue(e.getMessage().contains("no shared memory block named"), e.getMessage());
  }

  @Test
  void badNamesAndSizes_areRefusedAtTheCall() {
    for (String bad :
        new String[] {"", "a/b", "../x", ".hidden", "-x", "a b", "x".repeat(201), "caf\u00e9"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(bad, 8), bad);
      assertTrue(e.getMessage().contains("letters, digits"), e.getMessage());
    }
    String longest = "jf_ok.9-" + "x".repeat(192); // 200: the most a name may have
    try (SharedMemory ok = SharedMemory.create(longest, 8)) {
      assertEquals(longest, ok.name());
      ok.unlink();
    }
    assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(0));
    assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(-1));
    assertThrows(NullPointerException.class, () -> SharedMemory.attach(null));
  }

  @Test
  void onlyTheOwner_mayUnlink_andAfterwardsNobodyAttaches_butHandlesKeepTheirMemory() {
    SharedMemory block = SharedMemory.create(16);
    SharedMemory other = SharedMemory.attach(block.name());
    IllegalStateException e = assertThrows(IllegalStateException.class, other::unlink);
    assertTrue(e.getMessage().contains("only the process that created"), e.getMessage());

    block.buffer().putInt(0, 5);
    block.unlink();
    block.unlink(); // twice: nothing more
    assertThrows(UncheckedIOException.class, () -> SharedMemory.attach(block.name()));
    assertEquals(5, other.buffer().getInt(0));
    other.close();
    block.close();
  }

  @Test
  void aClosedHandle_givesNoBuffer_butTheBlockStays() {
    SharedMemory block = create(8);
    SharedMemory other = SharedMemory.attach(block.name());
    other.close();
    other.close();
    assertTrue(other.isClosed());
    assertThrows(IllegalStateException.class, other::buffer);
    block.buffer().putInt(0, 1); // the owner's handle is unaffected
  }

  @Test
  void partsOutsideTheBlock_areRefused() {
    SharedMemory block = create(16);
    assertThrows(IndexOutOfBoundsException.class, () -> block.buffer(12, 8));
    assertThrows(IndexOutOfBoundsException.class, () -> block.buffer(-1, 4));
    block.buffer(8, 8).putLong(0, 9);
    assertEquals(9, block.buffer().getLong(8));
  }

  @Test
  void aHandle_travelsByName_andAttachesWhereItArrives() throws Exception {
    SharedMemory block = create(8);
    block.buffer().putLong(0, 77);
    try (SharedMemory copy = roundTrip(block)) {
      assertEquals(block.name(), copy.name());
      assertFalse(copy.isOwner(), "a received handle must never own (and unlink) the block");
      assertEquals(77, copy.buffer().getLong(0));
    }
  }

  @Test
  void aBlockLargerThan2GiB_isViewedInParts() {
    long size = 3L << 30; // tmpfs allocates only the pages written
    SharedMemory block = create(size);
    IllegalStateException e = assertThrows(IllegalStateException.class, block::buffer);
    assertTrue(e.getMessage().contains("buffer(offset, length)"), e.getMessage());
    block.buffer(size - 8, 8).putLong(0, 123);
    try (SharedMemory other = SharedMemory.attach(block.name())) {
      assertEquals(size, other.size());
      assertEquals(123, other.buffer(size - 8, 8).getLong(0));
    }
  }

  @SuppressWarnings("unchecked")
  static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
