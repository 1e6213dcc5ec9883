package io.jfutures.impl.internal.process;

import io.jfutures.impl.internal.process.Codec.ClassEntry;
import io.jfutures.impl.internal.process.Codec.ClassIndex;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire protocol between a pool and a worker: length-prefixed frames on a private byte channel.
 *
 * <pre>
 * frame   := int length, byte type, long id, long aux, int defCount, def*,
 *            int functionCount, function*, int blobCount, int blobLength*, payload, blob*
 * def     := int classId, UTF className, long serialVersionUID   (see Codec)
 * function := int functionId, int formLength, form               (see SentFunctions)
 * payload := a serialized object, or empty
 * blob    := the bytes of a large byte array the payload refers to (see Codec.BlobRef)
 *
 * pool -> worker                          worker -> pool
 *   INIT   payload: WorkerConfig            READY        initializer done
 *   TASK   id, aux: timeout ns, payload     INIT_FAILED  payload: EncodedThrowable
 *   STOP   finish and exit(0)               RESULT       id, aux: run ns, payload: value
 *                                           FAILURE      id, aux: run ns, payload: EncodedThrowable
 *                                           RETIRING     exits after this (heap limit, OOM);
 *                                                        tasks sent after its last outcome
 *                                                        never started
 * </pre>
 *
 * Frames are written into a buffer and flushed when the writer has nothing more to send at once, so
 * a burst of small tasks or results shares one system call.
 */
final class Frames {
  static final byte INIT = 1;
  static final byte TASK = 2;
  static final byte STOP = 4;
  static final byte READY = 10;
  static final byte INIT_FAILED = 11;
  static final byte RESULT = 12;
  static final byte FAILURE = 13;
  static final byte RETIRING = 15;

  /** The largest frame accepted; a larger length means a corrupt stream. */
  static final int MAX_FRAME = Integer.MAX_VALUE - 64;

  private static final int BUFFER = 1 << 16;

  private Frames() {}

  /** One frame as read: its payload, and the blobs the payload refers to. */
  record Frame(byte type, long id, long aux, byte[] payload, List<byte[]> blobs) {
    Frame(byte type, long id, long aux, byte[] payload) {
      this(type, id, aux, payload, List.of());
    }
  }

  /** Writes frames; used by one thread at a time. */
  static final class Writer {
    private final DataOutputStream out;
    private final Codec.Bytes header = new Codec.Bytes(64);
    private final DataOutputStream headerOut = new DataOutputStream(header);
    private final Codec.ClassTable table;
    private int defined;
    private int functionsDefined;

    Writer(OutputStream out, Codec.ClassTable table) {
      this.out = new DataOutputStream(new BufferedOutputStream(out, BUFFER));
      this.table = table;
    }

    /**
     * Writes a frame, preceded by the class and function definitions the other side has not yet
     * seen; does not flush.
     */
    void write(byte type, long id, long aux, Codec.Payload payload) throws IOException {
      header.reset();
      headerOut.writeByte(type);
      headerOut.writeLong(id);
      headerOut.writeLong(aux);
      int size = table.size();
      if (size > defined) {
        List<ClassEntry> defs = table.range(defined, size);
        headerOut.writeInt(defs.size());
        for (ClassEntry def : defs) {
          headerOut.writeInt(def.id());
          headerOut.writeUTF(def.name());
          headerOut.writeLong(def.suid());
        }
        defined = size;
      } else {
        headerOut.writeInt(0);
      }
      int functions = table.functions.size();
      if (functions > functionsDefined) {
        headerOut.writeInt(functions - functionsDefined);
        int functionId = functionsDefined;
        for (byte[] form : table.functions.range(functionsDefined, functions)) {
          headerOut.writeInt(functionId++);
          headerOut.writeInt(form.length);
          headerOut.write(form);
        }
        functionsDefined = functions;
      } else {
        headerOut.writeInt(0);
      }
      List<byte[]> blobs = payload == null ? List.of() : payload.blobs();
      headerOut.writeInt(blobs.size());
      for (byte[] blob : blobs) {
        headerOut.writeInt(blob.length);
      }
      long length = header.size() + (payload == null ? 0 : payload.size() + payload.blobBytes());
      if (length > MAX_FRAME) {
        throw new IOException("a frame of " + length + " bytes is over the limit");
      }
      out.writeInt((int) length);
      out.write(header.buffer(), 0, header.size());
      if (payload != null) {
        payload.writeTo(out);
        for (byte[] blob : blobs) {
          out.write(blob);
        }
      }
    }

    void flush() throws IOException {
      out.flush();
    }

    void close() throws IOException {
      out.close();
    }
  }

  /** Reads frames; used by one thread. */
  static final class Reader {
    private final DataInputStream in;
    private final ClassIndex index;

    Reader(InputStream in, ClassIndex index) {
      this.in = new DataInputStream(new BufferedInputStream(in, BUFFER));
      this.index = index;
    }

    /**
     * Reads the next frame and records its class and function definitions; returns null at
     * end-of-file between frames.
     */
    Frame read() throws IOException {
      int length;
      try {
        length = in.readInt();
      } catch (EOFException e) {
        return null;
      }
      if (length < 0 || length > MAX_FRAME) {
        throw new StreamCorruptedException("bad frame length " + length);
      }
      byte type = in.readByte();
      long id = in.readLong();
      long aux = in.readLong();
      int defs = in.readInt();
      int headerSize = 1 + 8 + 8 + 4;
      for (int i = 0; i < defs; i++) {
        int classId = in.readInt();
        String name = in.readUTF();
        long suid = in.readLong();
        index.define(new ClassEntry(classId, name, suid));
        headerSize += 4 + 2 + utfLength(name) + 8;
      }
      int functions = in.readInt();
      headerSize += 4;
      for (int i = 0; i < functions; i++) {
        int functionId = in.readInt();
        int formLength = in.readInt();
        headerSize += 4 + 4;
        if (formLength < 0 || formLength > length - headerSize) {
          throw new StreamCorruptedException("bad function length " + formLength);
        }
        byte[] form = new byte[formLength];
        in.readFully(form);
        index.functions.define(functionId, form);
        headerSize += formLength;
      }
      int blobCount = in.readInt();
      headerSize += 4;
      if (blobCount < 0 || blobCount > (length - headerSize) / 4) {
        throw new StreamCorruptedException("bad blob count " + blobCount);
      }
      int[] blobLengths = new int[blobCount];
      long blobBytes = 0;
      for (int i = 0; i < blobCount; i++) {
        blobLengths[i] = in.readInt();
        blobBytes += blobLengths[i];
        if (blobLengths[i] < 0 || headerSize + 4L * blobCount + blobBytes > length) {
          throw new StreamCorruptedException("bad blob length " + blobLengths[i]);
        }
      }
      headerSize += 4 * blobCount;
      if (headerSize + blobBytes > length) {
        throw new StreamCorruptedException(
            "bad frame: its header is longer than its length " + length);
      }
      byte[] payload = new byte[(int) (length - headerSize - blobBytes)];
      in.readFully(payload);
      if (blobCount == 0) {
        return new Frame(type, id, aux, payload);
      }
      List<byte[]> blobs = new ArrayList<>(blobCount);
      for (int blobLength : blobLengths) {
        byte[] blob = new byte[blobLength];
        in.readFully(blob); // a large read goes past the buffer, straight into the array
        blobs.add(blob);
      }
      return new Frame(type, id, aux, payload, blobs);
    }

    private static int utfLength(String s) {
      int n = 0;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        n += (c >= 0x0001 && c <= 0x007F) ? 1 : (c <= 0x07FF ? 2 : 3);
      }
      return n;
    }
  }
}
