package dev.sparktrain.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;

/**
 * Writes a {@link MappedDataset} file from examples arriving one at a time, each put at its slot (its
 * index in the dataset): only a small buffer is held, never the whole dataset. Slots may come in any
 * order; consecutive slots are written in one go. {@link #finish()} checks that slots 0 .. n-1 were
 * all written once.
 */
public final class MappedDatasetWriter implements AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 20;
    private final Path file;
    private final int[] shape;
    private final int dim;
    private final int targetSize;
    private final long recordBytes;
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private final BitSet written = new BitSet();
    private long bufferSlot = -1;
    private long nextSlot = -1;
    private boolean done;

    /** A new file of examples of {@code shape} ({c, h, w}) with class labels ({@code targetSize} 0) or target values. */
    public MappedDatasetWriter(Path file, int[] shape, int targetSize) {
        this.file = file;
        this.shape = shape.clone();
        this.dim = shape[0] * shape[1] * shape[2];
        this.targetSize = targetSize;
        this.recordBytes = MappedDataset.recordBytes(dim, targetSize);
        if (recordBytes > Integer.MAX_VALUE / 2) {
            throw new DataException(file + ": examples of " + dim + " features are too large for one record");
        }
        this.buffer = ByteBuffer.allocate((int) Math.max(BUFFER_BYTES, recordBytes)).order(ByteOrder.LITTLE_ENDIAN);
        try {
            Files.createDirectories(file.getParent());
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new DataException("cannot create shard file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code e} as example {@code slot}. */
    public void put(int slot, Example e) {
        e.requireFits(shape, targetSize);
        if (slot < 0 || written.get(slot)) {
            throw new IllegalStateException(file + ": slot " + slot + " written twice or negative");
        }
        if (slot != nextSlot || buffer.remaining() < recordBytes) {
            flush();
            bufferSlot = slot;
        }
        for (float v : e.features()) {
            buffer.putFloat(v);
        }
        if (targetSize == 0) {
            buffer.putInt(e.label());
        } else {
            for (float v : e.target()) {
                buffer.putFloat(v);
            }
        }
        buffer.putLong(e.id());
        written.set(slot);
        nextSlot = slot + 1L;
    }

    /** Closes the file and returns the dataset; every slot below the highest one must have been written. */
    public MappedDataset finish() {
        flush();
        close();
        int n = written.length();
        if (written.cardinality() != n) {
            throw new IllegalStateException(file + ": slot " + written.nextClearBit(0) + " of " + n + " was never written");
        }
        return new MappedDataset(file, n, shape, targetSize);
    }

    private void flush() {
        if (buffer.position() == 0) {
            return;
        }
        buffer.flip();
        try {
            long at = bufferSlot * recordBytes;
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
        } catch (IOException e) {
            throw new DataException("cannot write shard file " + file + ": " + e.getMessage(), e);
        }
        buffer.clear();
    }

    /** Closes the file (without {@link #finish()}: an abandoned file, delete it). */
    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        try {
            channel.close();
        } catch (IOException e) {
            throw new DataException("cannot close shard file " + file + ": " + e.getMessage(), e);
        }
    }
}
