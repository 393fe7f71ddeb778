package dev.cairn.state.spi;

import java.util.Objects;

/** Snapshot bytes held in memory. */
public final class ByteStreamStateHandle implements StreamStateHandle {
    private final String name;
    private final byte[] data;

    /**
     * @param name a name for error messages
     * @param data the bytes; not copied, must not be modified afterwards
     */
    public ByteStreamStateHandle(String name, byte[] data) {
        this.name = Objects.requireNonNull(name);
        this.data = Objects.requireNonNull(data);
    }

    /**
     * The bytes themselves; do not modify.
     *
     * @return the bytes
     */
    public byte[] getData() {
        return data;
    }

    @Override
    public StateInputStream openInputStream() {
        return new StateInputStream() {
            private int position;

            @Override
            public void seek(long newPosition) {
                if (newPosition < 0 || newPosition > data.length) {
                    throw new IllegalArgumentException("Offset " + newPosition + " outside " + describe());
                }
                position = (int) newPosition;
            }

            @Override
            public long getPos() {
                return position;
            }

            @Override
            public int read() {
                return position < data.length ? data[position++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                if (position >= data.length) {
                    return -1;
                }
                int n = Math.min(len, data.length - position);
                System.arraycopy(data, position, b, off, n);
                position += n;
                return n;
            }

            @Override
            public int available() {
                return data.length - position;
            }
        };
    }

    @Override
    public long getStateSize() {
        return data.length;
    }

    @Override
    public String describe() {
        return "in-memory state '" + name + "' (" + data.length + " bytes)";
    }

    @Override
    public void discardState() {}

    @Override
    public String toString() {
        return describe();
    }
}
