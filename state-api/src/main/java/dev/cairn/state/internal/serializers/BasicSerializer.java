package dev.cairn.state.internal.serializers;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSnapshot;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Serializers of the basic types (primitives, String, primitive arrays, the void namespace). Each is identified
 * by a stable tag that its snapshot stores, so one snapshot class serves them all.
 */
public final class BasicSerializer<T> extends TypeSerializer<T> {

    /** Writes one value. */
    @FunctionalInterface
    public interface Writer<T> {
        void write(T value, DataOutput out) throws IOException;
    }

    /** Reads one value. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(DataInput in) throws IOException;
    }

    private static final Map<String, BasicSerializer<?>> BY_TAG = new LinkedHashMap<>();

    public static final BasicSerializer<Boolean> BOOLEAN =
            register("boolean", true, (v, o) -> o.writeBoolean(v), DataInput::readBoolean, null);
    public static final BasicSerializer<Byte> BYTE =
            register("byte", true, (v, o) -> o.writeByte(v), DataInput::readByte, null);
    public static final BasicSerializer<Short> SHORT =
            register("short", true, (v, o) -> o.writeShort(v), DataInput::readShort, null);
    public static final BasicSerializer<Integer> INT =
            register("int", true, (v, o) -> o.writeInt(v), DataInput::readInt, null);
    public static final BasicSerializer<Long> LONG =
            register("long", true, (v, o) -> o.writeLong(v), DataInput::readLong, null);
    public static final BasicSerializer<Float> FLOAT =
            register("float", true, (v, o) -> o.writeFloat(v), DataInput::readFloat, null);
    public static final BasicSerializer<Double> DOUBLE =
            register("double", true, (v, o) -> o.writeDouble(v), DataInput::readDouble, null);
    public static final BasicSerializer<Character> CHAR =
            register("char", true, (v, o) -> o.writeChar(v), DataInput::readChar, null);
    public static final BasicSerializer<String> STRING =
            register("string", true, BasicSerializer::writeString, BasicSerializer::readString, null);
    public static final BasicSerializer<byte[]> BYTE_ARRAY =
            register("byte[]", false, BasicSerializer::writeBytes, BasicSerializer::readBytes, byte[]::clone);
    public static final BasicSerializer<int[]> INT_ARRAY =
            register("int[]", false, BasicSerializer::writeInts, BasicSerializer::readInts, int[]::clone);
    public static final BasicSerializer<long[]> LONG_ARRAY =
            register("long[]", false, BasicSerializer::writeLongs, BasicSerializer::readLongs, long[]::clone);
    public static final BasicSerializer<double[]> DOUBLE_ARRAY =
            register("double[]", false, BasicSerializer::writeDoubles, BasicSerializer::readDoubles, double[]::clone);
    // Registered with the others, so that a process reading a snapshot finds it whatever it touched before.
    public static final BasicSerializer<dev.cairn.state.VoidNamespace> VOID_NAMESPACE =
            register("void-namespace", true, (v, out) -> {}, in -> dev.cairn.state.VoidNamespace.INSTANCE, null);

    private final String tag;
    private final boolean immutable;
    private final Writer<T> writer;
    private final Reader<T> reader;
    private final UnaryOperator<T> copier;

    private BasicSerializer(
            String tag, boolean immutable, Writer<T> writer, Reader<T> reader, UnaryOperator<T> copier) {
        this.tag = tag;
        this.immutable = immutable;
        this.writer = writer;
        this.reader = reader;
        this.copier = copier;
    }

    /** Registers a basic serializer under a tag that is stored in snapshots; tags must never change. */
    public static <T> BasicSerializer<T> register(
            String tag, boolean immutable, Writer<T> writer, Reader<T> reader, UnaryOperator<T> copier) {
        BasicSerializer<T> serializer = new BasicSerializer<>(tag, immutable, writer, reader, copier);
        synchronized (BY_TAG) {
            if (BY_TAG.putIfAbsent(tag, serializer) != null) {
                throw new IllegalStateException("Duplicate basic serializer tag " + tag);
            }
        }
        return serializer;
    }

    static BasicSerializer<?> forTag(String tag) {
        synchronized (BY_TAG) {
            return BY_TAG.get(tag);
        }
    }

    String tag() {
        return tag;
    }

    @Override
    public boolean isImmutableType() {
        return immutable;
    }

    @Override
    public T copy(T from) {
        return copier == null || from == null ? from : copier.apply(from);
    }

    @Override
    public void serialize(T value, DataOutput out) throws IOException {
        writer.write(value, out);
    }

    @Override
    public T deserialize(DataInput in) throws IOException {
        return reader.read(in);
    }

    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new BasicSerializerSnapshot<>(tag);
    }

    @Override
    public String toString() {
        return "BasicSerializer(" + tag + ")";
    }

    private static void writeString(String value, DataOutput out) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        VarInts.write(out, bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInput in) throws IOException {
        byte[] bytes = new byte[VarInts.read(in)];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void writeBytes(byte[] value, DataOutput out) throws IOException {
        VarInts.write(out, value.length);
        out.write(value);
    }

    private static byte[] readBytes(DataInput in) throws IOException {
        byte[] bytes = new byte[VarInts.read(in)];
        in.readFully(bytes);
        return bytes;
    }

    private static void writeInts(int[] value, DataOutput out) throws IOException {
        VarInts.write(out, value.length);
        for (int v : value) {
            out.writeInt(v);
        }
    }

    private static int[] readInts(DataInput in) throws IOException {
        int[] values = new int[VarInts.read(in)];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readInt();
        }
        return values;
    }

    private static void writeLongs(long[] value, DataOutput out) throws IOException {
        VarInts.write(out, value.length);
        for (long v : value) {
            out.writeLong(v);
        }
    }

    private static long[] readLongs(DataInput in) throws IOException {
        long[] values = new long[VarInts.read(in)];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    private static void writeDoubles(double[] value, DataOutput out) throws IOException {
        VarInts.write(out, value.length);
        for (double v : value) {
            out.writeDouble(v);
        }
    }

    private static double[] readDoubles(DataInput in) throws IOException {
        double[] values = new double[VarInts.read(in)];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BasicSerializer && ((BasicSerializer<?>) o).tag.equals(tag);
    }

    @Override
    public int hashCode() {
        return tag.hashCode();
    }
}
