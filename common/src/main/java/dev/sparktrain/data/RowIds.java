package dev.sparktrain.data;

import org.apache.commons.codec.digest.MurmurHash3;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Stable 64-bit row ids: the first half of MurmurHash3 x64 128 (seed 0) of what identifies a row.
 * <ul>
 *   <li>A decoded row (IDX, CSV, table): its content, the float32 bits of its features (little-endian,
 *   in order) followed by its class label (int32) or target values (float32). Rows read from any
 *   number of files, in any order, by any number of tasks get the same ids; two identical rows get
 *   the same id, so duplicates always land on the same side of a train/validation split.</li>
 *   <li>An encoded image of a table: its bytes and class label.</li>
 *   <li>An image of an image folder: its path relative to the folder's root ({@code class/file.png}),
 *   so the folder need not be read to place its images.</li>
 * </ul>
 * The ids do not depend on the seed; {@link dev.sparktrain.data.shards.ShardLayout} mixes the seed in.
 */
public final class RowIds {
    private RowIds() {
    }

    /** The id of a class-labelled row. */
    public static long of(float[] features, int label) {
        ByteBuffer b = buffer(features, 1);
        b.putInt(label);
        return hash(b);
    }

    /** The id of a row with target values. */
    public static long of(float[] features, float[] target) {
        ByteBuffer b = buffer(features, target.length);
        for (float t : target) {
            b.putFloat(t);
        }
        return hash(b);
    }

    /** The id of an encoded image with a class label (a table's image-bytes column): its bytes and label. */
    public static long of(byte[] encoded, int label) {
        ByteBuffer b = ByteBuffer.allocate(encoded.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(encoded).putInt(label);
        return hash(b);
    }

    /** The id of a row known by a name, e.g. an image's relative path. */
    public static long of(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        return MurmurHash3.hash128x64(bytes, 0, bytes.length, 0)[0];
    }

    private static ByteBuffer buffer(float[] features, int extra) {
        ByteBuffer b = ByteBuffer.allocate(4 * (features.length + extra)).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : features) {
            b.putFloat(f);
        }
        return b;
    }

    private static long hash(ByteBuffer b) {
        return MurmurHash3.hash128x64(b.array(), 0, b.position(), 0)[0];
    }
}
