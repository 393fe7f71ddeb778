package dev.cairn.state.support;

import dev.cairn.state.TypeSerializerSnapshot;
import dev.cairn.state.internal.serializers.MissingClassSnapshot;

/** What tools show about serializer snapshots read from a checkpoint. */
public final class SerializerSnapshots {
    private SerializerSnapshots() {}

    /**
     * The snapshot's class name as the checkpoint records it — also when that class was missing where the
     * checkpoint was read.
     *
     * @param snapshot a snapshot read from a checkpoint
     * @return the class name
     */
    public static String className(TypeSerializerSnapshot<?> snapshot) {
        return snapshot instanceof MissingClassSnapshot<?> missing
                ? missing.className()
                : snapshot.getClass().getName();
    }

    /**
     * Whether the snapshot's class was missing where the checkpoint was read (its data then reads as raw bytes).
     *
     * @param snapshot a snapshot read from a checkpoint
     * @return whether its class is missing
     */
    public static boolean isClassMissing(TypeSerializerSnapshot<?> snapshot) {
        return snapshot instanceof MissingClassSnapshot<?>;
    }
}
