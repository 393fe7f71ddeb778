package dev.cairn.checkpoint.internal;

import dev.cairn.checkpoint.StreamWriteListener;
import dev.cairn.state.spi.CheckpointStateOutputStream;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.IOException;

/** Delegates to a stream and reports its size to a {@link StreamWriteListener} when it completes. */
public final class ReportingOutputStream extends CheckpointStateOutputStream {
    private final CheckpointStateOutputStream delegate;
    private final StreamWriteListener listener;

    public ReportingOutputStream(CheckpointStateOutputStream delegate, StreamWriteListener listener) {
        this.delegate = delegate;
        this.listener = listener;
    }

    @Override
    public void write(int b) throws IOException {
        delegate.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        delegate.write(b, off, len);
    }

    @Override
    public long getPos() throws IOException {
        return delegate.getPos();
    }

    @Override
    public StreamStateHandle closeAndGetHandle() throws IOException {
        StreamStateHandle handle = delegate.closeAndGetHandle();
        listener.streamWritten(handle.getStateSize(), false);
        return handle;
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
