package io.jfutures.impl.internal.process;

import io.jfutures.impl.internal.Calls;
import io.jfutures.impl.internal.CompactValues;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Java serialization with class descriptors sent once per connection instead of once per message.
 *
 * <p>Each side has one {@link ClassTable}: when a message names a class for the first time, the
 * class gets a small id, and the message carries only the id. The table's new entries (id, name,
 * serialVersionUID) travel in the frame before the first message that uses them (see {@link
 * Frames}), so the reader learns every id before it needs it, even when a message fails half-way: a
 * failed message never leaves the two tables out of step. The reader resolves a name to its own
 * class and checks the serialVersionUID; parent and worker run the same class path.
 *
 * <p>Reading goes through a {@link ClassFilter}. Each message is written and read with a fresh
 * object stream, so one task's bad object cannot corrupt the next.
 *
 * <p>A task or result ({@link ClassTable#encodeMessage}) sends each byte array of at least {@value
 * #BLOB_MIN} bytes beside its object stream, as a <em>blob</em>: the stream holds a {@link BlobRef}
 * in its place, the frame carries the array's bytes as they are, and the reader reads them straight
 * into the array it hands to the object (see {@link Frames}). A 10 MiB array is then neither copied
 * into the stream nor copied out of the frame. A result of one of the commonest types (null, a
 * boxed number, a short String, a small primitive array) needs no object stream at all: see {@link
 * CompactValues}. Nor does a task whose function holds no state, or is a lambda that captured only
 * such values, and whose value is of those types: see {@link SentFunctions} (a lambda that captured
 * others sends only them in a stream); nor a chunk's results that are all numbers: see {@link
 * Numbers}.
 */
final class Codec {
  /** A byte array of at least this many bytes in a task or result travels as a blob. */
  static final int BLOB_MIN = 1 << 16;

  /** The most bytes one message (its stream and blobs) may hold: a frame's length is an int. */
  static final long MAX_MESSAGE = Frames.MAX_FRAME - 1024;

  private Codec() {}

  /**
   * Whether {@code value} travels in {@link CompactValues}' form, without an object stream: null, a
   * boxed number, a Boolean, a String of at most {@link CompactValues#MAX_STRING_CHARS} chars, or a
   * byte, int, long or double array of less than {@link #BLOB_MIN} bytes (a larger one travels as a
   * blob, which is not copied into the message).
   */
  static boolean compact(Object value) {
    if (CompactValues.has(value)) {
      return true;
    }
    long bytes = CompactValues.arrayBytes(value);
    return bytes >= 0 && bytes < BLOB_MIN;
  }

  /**
   * Stands in an object stream for the blob of that index in its frame. Externalizable, not a
   * record: a fresh JVM's first record costs its reader about 20 ms of method-handle set-up, and a
   * worker's first task with a large array read one.
   */
  static final class BlobRef implements java.io.Externalizable {
    private static final long serialVersionUID = 1L;

    private int index;

    /** For deserialization only. */
    public BlobRef() {}

    BlobRef(int index) {
      this.index = index;
    }

    int index() {
      return index;
    }

    @Override
    public void writeExternal(java.io.ObjectOutput out) throws IOException {
      out.writeInt(index);
    }

    @Override
    public void readExternal(java.io.ObjectInput in) throws IOException {
      index = in.readInt();
    }
  }

  /** One class the writer has named: its id, name and serialVersionUID. */
  record ClassEntry(int id, String name, long suid) {}

  /**
   * Returns the serialVersionUID a class table records and checks for {@code desc}: 0 for an array
   * class, whose serialVersionUID Java serialization computes but never checks (an array has no
   * declared one, and {@code ObjectInputStream} compares none for arrays). Computing it is a SHA-1
   * digest, and the first one starts the security providers: 7 ms of a worker's start, traced, for
   * the {@code Object[]} in every serializable lambda.
   */
  static long suid(ObjectStreamClass desc) {
    Class<?> cl = desc.forClass();
    return cl != null && cl.isArray() ? 0 : desc.getSerialVersionUID();
  }

  /**
   * The writer's side: ids for the classes this JVM has serialized, append-only. Thread-safe.
   * Registering a class also lets the local {@link ClassFilter} accept its package.
   */
  static final class ClassTable {
    private final ConcurrentHashMap<Class<?>, Integer> ids = new ConcurrentHashMap<>();
    private final List<ClassEntry> entries = new ArrayList<>(); // guarded by "this"
    private final ClassFilter filter;

    /** The functions of the tasks this table has encoded, sent once per connection. */
    final SentFunctions.Table functions = new SentFunctions.Table();

    ClassTable(ClassFilter filter) {
      this.filter = filter;
    }

    int idOf(ObjectStreamClass desc) {
      Class<?> cl = desc.forClass();
      Integer id = ids.get(cl);
      if (id != null) {
        return id;
      }
      synchronized (this) {
        id = ids.get(cl);
        if (id == null) {
          id = entries.size();
          entries.add(new ClassEntry(id, desc.getName(), suid(desc)));
          filter.learn(cl);
          ids.put(cl, id);
        }
        return id;
      }
    }

    /**
     * Lets the local filter accept the package of the class {@code className}, which a form sent
     * names by string ({@link FunctionForms}), as it accepts those of the classes a stream names.
     */
    void named(String className) {
      filter.learn(className);
    }

    synchronized int size() {
      return entries.size();
    }

    /** Returns the entries with ids from {@code from} (inclusive) to {@code to} (exclusive). */
    synchronized List<ClassEntry> range(int from, int to) {
      return List.copyOf(entries.subList(from, to));
    }

    /** Serializes {@code value}, all of it in the stream; the table then holds its classes. */
    Payload encode(Object value) throws IOException {
      Payload payload = new Payload();
      try (TableOutputStream out = new TableOutputStream(payload, this, false, false)) {
        out.writeObject(value);
      }
      return payload;
    }

    /**
     * Serializes {@code values} one after the other in one stream, as a task's are (large byte
     * arrays as blobs, copies): a lambda's captured values ({@link SentFunctions}). Objects shared
     * between them stay shared, as in the lambda's own stream.
     */
    Payload encodeValues(Object[] values) throws IOException {
      Payload payload = new Payload();
      try (TableOutputStream out = new TableOutputStream(payload, this, true, true)) {
        for (Object value : values) {
          out.writeObject(value);
        }
      }
      return payload;
    }

    /**
     * Serializes a task: one whose function holds no state or is a serializable lambda, and whose
     * value has a compact form, as a reference to the function and its captured values ({@link
     * SentFunctions}), any other as {@link #encodeMessage} does, its arrays copied.
     */
    Payload encodeTask(Callable<?> call) throws IOException {
      Payload payload = functions.encode(call, this);
      return payload != null ? payload : encodeMessage(call, true);
    }

    /**
     * Serializes a task or result whose large byte arrays travel as blobs; a null, Integer, Long,
     * Double, Boolean, short String, or a byte, int, long or double array of less than {@link
     * #BLOB_MIN} bytes travels in {@link CompactValues} form, without an object stream.
     *
     * @param copyArrays whether a blob is a copy of the array: a task is encoded when it is
     *     submitted, and must not change if the caller then changes its array; a worker's result is
     *     sent before its task could change it again
     */
    Payload encodeMessage(Object value, boolean copyArrays) throws IOException {
      if (Calls.isChunkResults(value)) {
        Object numbers = Calls.numbers((List<?>) value);
        if (numbers != null) {
          byte[] form = Numbers.encode(numbers, 1);
          form[0] = Numbers.TAG;
          return Payload.of(form);
        }
      }
      if (CompactValues.arrayBytes(value) >= 0 && compact(value)) {
        // A byte, int, long or double array below a blob's size: its elements behind a tag.
        return Payload.of(CompactValues.toBytes(value));
      }
      Payload payload = new Payload();
      if (CompactValues.write(value, payload)) {
        return payload;
      }
      try (TableOutputStream out = new TableOutputStream(payload, this, true, copyArrays)) {
        out.writeObject(value);
      }
      return payload;
    }
  }

  /**
   * Descriptors of array classes as a stream gives them: with their serialVersionUID stated (0),
   * where the class's own descriptor would compute it when {@code ObjectInputStream} reads it as
   * its model: a SHA-1 digest, and the first starts the security providers (10 ms of CPU measured
   * alone; every serializable lambda holds an {@code Object[]}). A stream-read descriptor is what
   * {@code ObjectInputStream} expects there anyway, and it compares no serialVersionUID for arrays.
   */
  static final class ArrayDescriptors extends ObjectInputStream {
    private ArrayDescriptors(byte[] stream) throws IOException {
      super(new ByteArrayInputStream(stream));
    }

    /** Returns the descriptor of the array class named {@code name}, as if read from a stream. */
    static ObjectStreamClass of(String name) throws IOException, ClassNotFoundException {
      ByteArrayOutputStream fields = new ByteArrayOutputStream();
      DataOutputStream data = new DataOutputStream(fields);
      data.writeUTF(name);
      data.writeLong(0); // serialVersionUID: never compared for an array
      data.writeByte(SC_SERIALIZABLE);
      data.writeShort(0); // no fields
      ByteArrayOutputStream stream = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(stream);
      out.writeShort(STREAM_MAGIC);
      out.writeShort(STREAM_VERSION);
      // Read in block-data mode, as a fresh stream is: one block holds the descriptor's fields.
      out.writeByte(TC_BLOCKDATALONG);
      out.writeInt(fields.size());
      fields.writeTo(out);
      try (ArrayDescriptors in = new ArrayDescriptors(stream.toByteArray())) {
        return in.readClassDescriptor();
      }
    }
  }

  /** The reader's side: the classes the other side has named, by id. Not thread-safe. */
  static final class ClassIndex {
    private final List<ClassEntry> entries = new ArrayList<>();
    private final List<ObjectStreamClass> resolved = new ArrayList<>();
    private final ClassLoader loader;
    private final ClassFilter filter;
    private final boolean learn;

    /** The functions the other side has sent ({@link SentFunctions}). */
    final SentFunctions.Index functions = new SentFunctions.Index();

    /**
     * @param learn whether the names the other side sends widen the local filter (true in a worker,
     *     which trusts the pool that started it)
     */
    ClassIndex(ClassLoader loader, ClassFilter filter, boolean learn) {
      this.loader = loader;
      this.filter = filter;
      this.learn = learn;
    }

    void define(ClassEntry entry) throws StreamCorruptedException {
      if (entry.id() != entries.size()) {
        throw new StreamCorruptedException(
            "class id " + entry.id() + " out of order, expected " + entries.size());
      }
      entries.add(entry);
      resolved.add(null);
      if (learn) {
        filter.learn(entry.name());
      }
    }

    ObjectStreamClass descriptor(int id) throws IOException, ClassNotFoundException {
      if (id < 0 || id >= entries.size()) {
        throw new StreamCorruptedException("unknown class id " + id);
      }
      ObjectStreamClass desc = resolved.get(id);
      if (desc == null) {
        ClassEntry entry = entries.get(id);
        Class<?> cl = resolve(entry.name());
        if (cl.isArray()) {
          desc = ArrayDescriptors.of(cl.getName());
          resolved.set(id, desc);
          return desc;
        }
        desc = ObjectStreamClass.lookupAny(cl);
        if (suid(desc) != entry.suid()) {
          throw new InvalidClassException(
              entry.name(),
              "serialVersionUID is "
                  + entry.suid()
                  + " on the sending side and "
                  + suid(desc)
                  + " here; the pool and its workers must run the same classes");
        }
        resolved.set(id, desc);
      }
      return desc;
    }

    Class<?> resolve(String name) throws ClassNotFoundException {
      return Class.forName(name, false, loader);
    }

    /**
     * Resolves a class that a function's form names ({@link FunctionForms}), learned and filtered
     * as a class a stream names is.
     *
     * @throws InvalidClassException if the filter refuses it, as a stream would
     */
    Class<?> resolveChecked(String name) throws ClassNotFoundException, InvalidClassException {
      if (learn) {
        filter.learn(name);
      }
      Class<?> cl = resolve(name);
      RuntimeException refusal = null;
      try {
        if (filter.checkInput(new FunctionForms.Named(cl)) != ObjectInputFilter.Status.REJECTED) {
          return cl;
        }
      } catch (RuntimeException e) { // a ClassFilter.Rejected, which names the class
        refusal = e;
      }
      throw (InvalidClassException)
          new InvalidClassException(name, "filter status: REJECTED").initCause(refusal);
    }

    /** Deserializes a message written by the other side's {@link ClassTable#encode}. */
    Object decode(byte[] data, int offset, int length) throws IOException, ClassNotFoundException {
      return decode(data, offset, length, List.of());
    }

    /** Deserializes the message of {@code frame}, with its blobs. */
    Object decode(Frames.Frame frame) throws IOException, ClassNotFoundException {
      return decode(frame.payload(), 0, frame.payload().length, frame.blobs());
    }

    private Object decode(byte[] data, int offset, int length, List<byte[]> blobs)
        throws IOException, ClassNotFoundException {
      if (length > 0 && CompactValues.isTag(data[offset])) {
        return CompactValues.read(data, offset, length);
      }
      if (length > 0 && SentFunctions.isTag(data[offset])) {
        return functions.decode(data, offset, length, this, blobs);
      }
      if (length > 0 && data[offset] == Numbers.TAG) {
        return Calls.view(Numbers.decode(data, offset + 1, length - 1));
      }
      try (TableInputStream in =
          new TableInputStream(new ByteArrayInputStream(data, offset, length), this, blobs)) {
        in.setObjectInputFilter(filter);
        return in.readObject();
      }
    }

    /**
     * Deserializes {@code count} values written one after the other by the other side's {@link
     * ClassTable#encodeValues}, from the {@code length} bytes at {@code offset}, with the frame's
     * {@code blobs}.
     */
    Object[] decodeValues(byte[] data, int offset, int length, int count, List<byte[]> blobs)
        throws IOException, ClassNotFoundException {
      Object[] values = new Object[count];
      try (TableInputStream in =
          new TableInputStream(new ByteArrayInputStream(data, offset, length), this, blobs)) {
        in.setObjectInputFilter(filter);
        for (int i = 0; i < count; i++) {
          values[i] = in.readObject();
        }
      }
      return values;
    }
  }

  private static final class TableOutputStream extends ObjectOutputStream {
    private final ClassTable table;
    private final Payload payload;
    private final boolean copyArrays;

    TableOutputStream(Payload payload, ClassTable table, boolean blobs, boolean copyArrays)
        throws IOException {
      super(payload);
      this.table = table;
      this.payload = payload;
      this.copyArrays = copyArrays;
      enableReplaceObject(blobs);
    }

    /** Sends a large byte array as a blob (called only for a task or result). */
    @Override
    protected Object replaceObject(Object obj) {
      if (obj instanceof byte[] bytes && bytes.length >= BLOB_MIN) {
        return new BlobRef(payload.addBlob(copyArrays ? bytes.clone() : bytes));
      }
      return obj;
    }

    @Override
    protected void writeStreamHeader() {
      // Both sides know the format; four bytes saved per message.
    }

    @Override
    protected void writeClassDescriptor(ObjectStreamClass desc) throws IOException {
      writeInt(table.idOf(desc));
    }

    /**
     * A dynamic proxy's interfaces travel by name in the stream, not through the table: they are
     * entered in it too, so that the receiving worker's filter learns their packages, as it does
     * for every class sent, and allows the proxy.
     */
    @Override
    protected void annotateProxyClass(Class<?> cl) {
      for (Class<?> i : cl.getInterfaces()) {
        table.idOf(ObjectStreamClass.lookupAny(i));
      }
    }
  }

  private static final class TableInputStream extends ObjectInputStream {
    private final ClassIndex index;
    private final List<byte[]> blobs;

    TableInputStream(ByteArrayInputStream in, ClassIndex index, List<byte[]> blobs)
        throws IOException {
      super(in);
      this.index = index;
      this.blobs = blobs;
      enableResolveObject(true); // a BlobRef must never reach a caller as itself
    }

    @Override
    protected Object resolveObject(Object obj) throws IOException {
      if (obj instanceof BlobRef ref) {
        if (ref.index() < 0 || ref.index() >= blobs.size()) {
          throw new StreamCorruptedException(
              "blob " + ref.index() + " of a message with " + blobs.size());
        }
        return blobs.get(ref.index());
      }
      return obj;
    }

    @Override
    protected void readStreamHeader() {
      // See TableOutputStream.writeStreamHeader.
    }

    @Override
    protected ObjectStreamClass readClassDescriptor() throws IOException, ClassNotFoundException {
      return index.descriptor(readInt());
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      // A descriptor from readClassDescriptor was resolved once per connection (ClassIndex): a
      // Class.forName per class per message was a good part of reading a small task.
      Class<?> resolved = desc.forClass();
      if (resolved != null) {
        return resolved;
      }
      try {
        return index.resolve(desc.getName());
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc); // primitives
      }
    }
  }

  /**
   * A serialized message: written into chunks that double in size up to {@value #MAX_CHUNK} bytes,
   * so that a large one is never copied as it grows, nor copied whole to be sent. Not thread-safe;
   * read-only once written.
   */
  static final class Payload extends OutputStream {
    private static final int FIRST_CHUNK = 256;
    private static final int MAX_CHUNK = 1 << 20;

    private final List<byte[]> full = new ArrayList<>(0);
    private byte[] chunk;
    private int count; // bytes used in chunk
    private int size;
    private List<byte[]> blobs = List.of();
    private long blobBytes;

    Payload() {
      this(FIRST_CHUNK);
    }

    /** A payload of {@code bytes}, all of them written, which it takes as they are: no copy. */
    static Payload of(byte[] bytes) {
      Payload payload = new Payload(bytes);
      payload.count = bytes.length;
      payload.size = bytes.length;
      return payload;
    }

    private Payload(byte[] first) {
      chunk = first;
    }

    /** A payload whose first chunk holds {@code firstChunk} bytes: for one known to be small. */
    Payload(int firstChunk) {
      chunk = new byte[Math.max(1, firstChunk)];
    }

    @Override
    public void write(int b) {
      if (count == chunk.length) {
        next();
      }
      chunk[count++] = (byte) b;
      size++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      Objects.checkFromIndexSize(off, len, b.length);
      checkRoom(len);
      while (len > 0) {
        if (count == chunk.length) {
          next();
        }
        int n = Math.min(len, chunk.length - count);
        System.arraycopy(b, off, chunk, count, n);
        count += n;
        off += n;
        len -= n;
        size += n;
      }
    }

    private void next() {
      full.add(chunk);
      chunk = new byte[Math.min(chunk.length * 2, MAX_CHUNK)];
      count = 0;
    }

    private void checkRoom(long more) {
      if (size + blobBytes + more > MAX_MESSAGE) {
        throw new IllegalStateException("a message of over 2 GiB cannot be sent");
      }
    }

    /** Adds a blob; returns its index. */
    int addBlob(byte[] blob) {
      checkRoom(blob.length);
      if (blobs.isEmpty()) {
        blobs = new ArrayList<>(2);
      }
      blobs.add(blob);
      blobBytes += blob.length;
      return blobs.size() - 1;
    }

    /** Returns the number of bytes written to the stream, blobs not counted. */
    int size() {
      return size;
    }

    /** Returns the blobs, in index order. */
    List<byte[]> blobs() {
      return blobs;
    }

    /** Returns the bytes of the blobs. */
    long blobBytes() {
      return blobBytes;
    }

    /** Writes the bytes to {@code out}, chunk by chunk. */
    void writeTo(OutputStream out) throws IOException {
      for (byte[] c : full) {
        out.write(c);
      }
      out.write(chunk, 0, count);
    }

    /** Returns the stream's bytes in one array: a copy. Only for a message without blobs. */
    byte[] toByteArray() {
      if (!blobs.isEmpty()) {
        throw new IllegalStateException("a message with blobs is not one array");
      }
      return streamBytes(0);
    }

    /**
     * Returns a new array of {@code before} bytes of room, then the stream's bytes; its blobs are
     * {@link #blobs()}.
     */
    byte[] streamBytes(int before) {
      byte[] bytes = new byte[before + size];
      int at = before;
      for (byte[] c : full) {
        System.arraycopy(c, 0, bytes, at, c.length);
        at += c.length;
      }
      System.arraycopy(chunk, 0, bytes, at, count);
      return bytes;
    }
  }

  /** A ByteArrayOutputStream whose buffer can be read without a copy. */
  static final class Bytes extends ByteArrayOutputStream {
    Bytes(int size) {
      super(size);
    }

    byte[] buffer() {
      return buf;
    }
  }
}
