package dev.cairn.state.support;

import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.TypeSerializerSnapshot;
import dev.cairn.state.internal.ChecksummedBlockInputStream;
import dev.cairn.state.internal.serializers.VarInts;
import dev.cairn.state.spi.OperatorStateHandle.Mode;
import dev.cairn.state.spi.OperatorStateHandle.StateInfo;
import dev.cairn.state.spi.StateInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading the operator-state format {@link DefaultOperatorStateBackend} writes ({@code docs/format.md}): a header
 * with every state's name, mode and serializer snapshots, then one checksummed section per state at the offset its
 * handle records, holding length-prefixed fields (list elements; for broadcast state key, null flag, value). Shared
 * by the backend's restore and by offline tools.
 */
public final class OperatorStateFormat {
    private OperatorStateFormat() {}

    /**
     * One state of a snapshot's header.
     *
     * @param name the state's name
     * @param mode how it is redistributed
     * @param serializers the snapshots of its element serializer (list state) or key and value serializers
     *     (broadcast state)
     */
    public record StateHeader(String name, Mode mode, List<TypeSerializerSnapshot<?>> serializers) {}

    /**
     * Reads and checks the header at the start of an operator-state stream.
     *
     * @param in the stream, at its start
     * @param classLoader loads the serializer snapshots' classes
     * @param source names the stream in errors
     * @return the states, in the order written
     * @throws IOException when the stream cannot be read
     * @throws CorruptCheckpointException when it is not an operator-state snapshot of this version, or is damaged
     */
    public static List<StateHeader> readHeader(StateInputStream in, ClassLoader classLoader, String source)
            throws IOException {
        DataInputStream raw = new DataInputStream(in);
        if (raw.readLong() != DefaultOperatorStateBackend.MAGIC) {
            throw new CorruptCheckpointException(source + " is not a Cairn operator state snapshot");
        }
        int version = raw.readInt();
        if (version != DefaultOperatorStateBackend.VERSION) {
            throw new CorruptCheckpointException(source + " has operator state format version " + version);
        }
        ChecksummedBlockInputStream headerBlocks = new ChecksummedBlockInputStream(in, source);
        DataInputStream header = new DataInputStream(headerBlocks);
        int count = header.readInt();
        List<StateHeader> states = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = header.readUTF();
            int mode = header.readUnsignedByte();
            if (mode >= Mode.values().length) {
                throw new CorruptCheckpointException("Unknown operator state mode " + mode + " in " + source);
            }
            int serializers = header.readInt();
            List<TypeSerializerSnapshot<?>> snapshots = new ArrayList<>();
            for (int s = 0; s < serializers; s++) {
                snapshots.add(TypeSerializerSnapshot.readVersionedSnapshot(header, classLoader));
            }
            states.add(new StateHeader(name, Mode.values()[mode], snapshots));
        }
        headerBlocks.expectEnd();
        return states;
    }

    /**
     * Positions the stream at one state's section and returns a checksum-verifying reader of it.
     *
     * @param in the stream
     * @param state the state's entry in the handle
     * @param source names the section in errors
     * @return the section's reader; read {@link StateInfo#count()} elements, then expect its end
     * @throws IOException when the stream cannot be positioned
     */
    public static DataInputStream openSection(StateInputStream in, StateInfo state, String source) throws IOException {
        in.seek(state.offset());
        return new DataInputStream(new ChecksummedBlockInputStream(in, source));
    }

    /**
     * Reads one length-prefixed field.
     *
     * @param section a section's reader
     * @return the field's bytes
     * @throws IOException when the section ends early or is damaged
     */
    public static byte[] readField(DataInputStream section) throws IOException {
        byte[] bytes = new byte[VarInts.read(section)];
        section.readFully(bytes);
        return bytes;
    }
}
