package io.jfutures.impl.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfutures.api.SerializableFunction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.StreamCorruptedException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
final class FunctionFormsTest {
  /** Stateless, with a constructor that a read must not run, as a stream's would not. */
  static final class Made implements SerializableFunction<Integer, Integer> {
    private static final long serialVersionUID = 7L;
    static int constructed;

    Made() {
      constructed++;
    }

    @Override
    public Integer apply(Integer x) {
      return x + 7;
    }
  }

  @SuppressWarnings("serial") // no serialVersionUID on purpose
  static final class Undeclared implements SerializableFunction<Integer, Integer> {
    @Override
    public Integer apply(Integer x) {
      return -x;
    }
  }

  static final class Holding implements SerializableFunction<Integer, Integer> {
    private static final long serialVersionUID = 7L;
    private final int add = 1;

    @Override
    public Integer apply(Integer x) {
      return x + add;
    }
  }

  private final Codec.ClassTable table = new Codec.ClassTable(new ClassFilter(""));

  private static Codec.ClassIndex reader(String patterns) {
    return new Codec.ClassIndex(
        FunctionFormsTest.class.getClassLoader(), new ClassFilter(patterns), true);
  }

  /** Reads {@code form}, the reader first told the classes a stream form names, as frames tell. */
  @SuppressWarnings("unchecked")
  private Function<Integer, Integer> read(byte[] form, Codec.ClassIndex reader) throws Exception {
    for (Codec.ClassEntry entry : table.range(0, table.size())) {
      reader.define(entry);
    }
    return (Function<Integer, Integer>) FunctionForms.read(form, reader);
  }

  @Test
  void aClassDeclaringItsSerialVersionUid_travelsByName_andIsMadeWithoutItsConstructor()
      throws Exception {
    Made sent = new Made();
    byte[] form = FunctionForms.of(sent, table);
    assertEquals(FunctionForms.INSTANCE, form[0]);

    int before = Made.constructed;
    Function<Integer, Integer> made = read(form, reader(""));
    assertInstanceOf(Made.class, made);
    assertNotSame(sent, made);
    assertEquals(8, made.apply(1));
    assertEquals(before, Made.constructed, "no constructor of its own ran, as with a stream");
  }

  @Test
  void aClassWithoutADeclaredSerialVersionUid_travelsAsAStream() throws Exception {
    byte[] form = FunctionForms.of(new Undeclared(), table);
    assertEquals(FunctionForms.STREAM, form[0]);
    assertEquals(-5, read(form, reader("")).apply(5));
  }

  @Test
  void lambdasAndMethodReferences_travelAsWhatTheirSerializedLambdaHolds() throws Exception {
    SerializableFunction<Integer, Integer> lambda = x -> x * x;
    SerializableFunction<Integer, Integer> reference = Integer::bitCount;
    SerializableFunction<Integer, Integer> jdks = Math::negateExact;
    assertEquals(FunctionForms.LAMBDA, FunctionForms.of(lambda, table)[0]);
    assertEquals(49, read(FunctionForms.of(lambda, table), reader("")).apply(7));
    assertEquals(3, read(FunctionForms.of(reference, table), reader("")).apply(7));
    assertEquals(-7, read(FunctionForms.of(jdks, table), reader("")).apply(7));

    int add = 2;
    SerializableFunction<Integer, Integer> capturing = x -> x + add;
    byte[] form = FunctionForms.of(capturing, table);
    assertEquals(FunctionForms.STREAM, form[0], "a lambda with captured values travels whole");
    assertEquals(9, read(form, reader("")).apply(7));
  }

  @Test
  void aClassTheFilterRefuses_isRefusedAsAStreamWouldRefuseIt_namingIt() throws Exception {
    byte[] form = FunctionForms.of(new Made(), table);
    InvalidClassException e =
        assertThrows(
            InvalidClassException.class, () -> read(form, reader("!" + Made.class.getName())));
    assertTrue(WorkerMain.describe(e).contains(Made.class.getName()), WorkerMain.describe(e));

    byte[] lambda = FunctionForms.of((SerializableFunction<Integer, Integer>) x -> x, table);
    assertThrows(
        InvalidClassException.class,
        () -> read(lambda, reader("!" + FunctionFormsTest.class.getName())));
  }

  @Test
  void aClassNotAsItWasOnTheSendingSide_isAnInvalidClass() throws Exception {
    assertThrows(
        InvalidClassException.class,
        () -> read(instanceForm(Made.class.getName(), 8L), reader("")),
        "another serialVersionUID");
    assertThrows(
        InvalidClassException.class,
        () -> read(instanceForm(Holding.class.getName(), 7L), reader("")),
        "a class with state here");
    assertThrows(
        InvalidClassException.class,
        () -> read(instanceForm(Undeclared.class.getName(), 0L), reader("")),
        "no serialVersionUID here");
    assertThrows(
        ClassNotFoundException.class, () -> read(instanceForm("no.such.Function", 1L), reader("")));
    assertThrows(
        InvalidClassException.class,
        () -> read(negateExactAs("noSuchMethod"), reader("")),
        "no such lambda in the capturing class");
    assertEquals(-7, read(negateExactAs("negateExact"), reader("")).apply(7), "the form as sent");
  }

  @Test
  void corruptForms_areACorruptStream() {
    for (byte[] form : new byte[][] {{}, {9}, {FunctionForms.INSTANCE, 0}}) {
      assertThrows(IOException.class, () -> FunctionForms.read(form, reader("")));
    }
    assertThrows(
        StreamCorruptedException.class, () -> FunctionForms.read(new byte[] {9}, reader("")));
  }

  private static byte[] instanceForm(String name, long suid) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(FunctionForms.INSTANCE);
    out.writeUTF(name);
    out.writeLong(suid);
    return bytes.toByteArray();
  }

  /** The form of {@code Math::negateExact} in this class, naming {@code implMethod} instead. */
  private byte[] negateExactAs(String implMethod) throws IOException {
    SerializableFunction<Integer, Integer> negate = Math::negateExact;
    DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(FunctionForms.of(negate, table)));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(in.readByte());
    for (int i = 0; i < 4; i++) {
      out.writeUTF(in.readUTF()); // capturing class, interface, its method and signature
    }
    out.writeInt(in.readInt()); // the implementation's kind
    out.writeUTF(in.readUTF()); // its class
    in.readUTF();
    out.writeUTF(implMethod);
    out.writeUTF(in.readUTF()); // its signature
    out.writeUTF(in.readUTF()); // the instantiated type
    return bytes.toByteArray();
  }
}
