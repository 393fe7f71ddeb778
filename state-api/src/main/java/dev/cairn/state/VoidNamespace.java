package dev.cairn.state;

/** The namespace of state that is not scoped to a window: a singleton serialized as zero bytes. */
public final class VoidNamespace {
    /** The only instance. */
    public static final VoidNamespace INSTANCE = new VoidNamespace();

    private VoidNamespace() {}

    @Override
    public int hashCode() {
        return 99;
    }

    @Override
    public boolean equals(Object obj) {
        return obj == this;
    }

    @Override
    public String toString() {
        return "VoidNamespace";
    }
}
