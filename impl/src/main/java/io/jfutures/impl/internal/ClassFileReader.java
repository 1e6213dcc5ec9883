package io.jfutures.impl.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Reads from a class file the two things {@link TaskName} needs: the class's {@code SourceFile} and
 * the first line of one method. Just enough of the format (JVMS chapter 4) to walk to them; no
 * dependency, so that nothing extra lands on every worker's class path.
 */
final class ClassFileReader {
  private ClassFileReader() {}

  /**
   * Returns {@code Main.java:42}: the class's source file and the smallest line number of the
   * method {@code name} with {@code descriptor}, or null if the class file lacks either or is not a
   * class file. Never throws.
   */
  static String sourceLine(byte[] classFile, String name, String descriptor) {
    try {
      return read(new DataInputStream(new ByteArrayInputStream(classFile)), name, descriptor);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String read(DataInputStream in, String name, String descriptor)
      throws IOException {
    if (in.readInt() != 0xCAFEBABE) {
      return null;
    }
    in.skipNBytes(4); // minor_version, major_version
    String[] utf8 = constantPool(in);
    in.skipNBytes(6); // access_flags, this_class, super_class
    in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
    int fields = in.readUnsignedShort();
    for (int i = 0; i < fields; i++) {
      in.skipNBytes(6); // access_flags, name_index, descriptor_index
      skipAttributes(in);
    }
    int line = Integer.MAX_VALUE;
    int methods = in.readUnsignedShort();
    for (int i = 0; i < methods; i++) {
      in.skipNBytes(2); // access_flags
      String methodName = utf8[in.readUnsignedShort()];
      String methodDescriptor = utf8[in.readUnsignedShort()];
      if (name.equals(methodName) && descriptor.equals(methodDescriptor)) {
        line = Math.min(line, firstLine(in, utf8));
      } else {
        skipAttributes(in);
      }
    }
    String sourceFile = null;
    int attributes = in.readUnsignedShort();
    for (int i = 0; i < attributes; i++) {
      String attribute = utf8[in.readUnsignedShort()];
      long length = readLength(in);
      if ("SourceFile".equals(attribute) && length == 2) {
        sourceFile = utf8[in.readUnsignedShort()];
      } else {
        in.skipNBytes(length);
      }
    }
    return sourceFile == null || line == Integer.MAX_VALUE ? null : sourceFile + ":" + line;
  }

  /** Returns the pool's Utf8 entries by index; other entries are null. */
  private static String[] constantPool(DataInputStream in) throws IOException {
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF(); // Utf8: u2 length, modified UTF-8, as readUTF reads
        case 7, 8, 16, 19, 20 -> in.skipNBytes(2); // Class, String, MethodType, Module, Package
        case 15 -> in.skipNBytes(3); // MethodHandle
        case 3, 4, 9, 10, 11, 12, 17, 18 ->
            in.skipNBytes(4); // Integer, Float, refs, (Invoke)Dynamic
        case 5, 6 -> { // Long, Double: take two slots
          in.skipNBytes(8);
          i++;
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    return utf8;
  }

  /**
   * Reads a method's attributes; returns the smallest line number in the LineNumberTables of its
   * Code attribute, or {@code Integer.MAX_VALUE} if there is none.
   */
  private static int firstLine(DataInputStream in, String[] utf8) throws IOException {
    int line = Integer.MAX_VALUE;
    int attributes = in.readUnsignedShort();
    for (int i = 0; i < attributes; i++) {
      String attribute = utf8[in.readUnsignedShort()];
      long length = readLength(in);
      if (!"Code".equals(attribute)) {
        in.skipNBytes(length);
        continue;
      }
      in.skipNBytes(4); // max_stack, max_locals
      in.skipNBytes(readLength(in)); // code
      in.skipNBytes(8L * in.readUnsignedShort()); // exception_table
      int codeAttributes = in.readUnsignedShort();
      for (int j = 0; j < codeAttributes; j++) {
        String codeAttribute = utf8[in.readUnsignedShort()];
        long codeLength = readLength(in);
        if (!"LineNumberTable".equals(codeAttribute)) {
          in.skipNBytes(codeLength);
          continue;
        }
        int entries = in.readUnsignedShort();
        for (int k = 0; k < entries; k++) {
          in.skipNBytes(2); // start_pc
          line = Math.min(line, in.readUnsignedShort());
        }
      }
    }
    return line;
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int attributes = in.readUnsignedShort();
    for (int i = 0; i < attributes; i++) {
      in.skipNBytes(2); // attribute_name_index
      in.skipNBytes(readLength(in));
    }
  }

  /** Reads a u4 length; a length beyond the end of the file fails the skip with EOFException. */
  private static long readLength(DataInputStream in) throws IOException {
    return in.readInt() & 0xFFFFFFFFL;
  }
}
