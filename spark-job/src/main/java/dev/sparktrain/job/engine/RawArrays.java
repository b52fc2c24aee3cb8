package dev.sparktrain.job.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.BaseNDArrayProxy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * ND4J arrays as raw bytes: {@code [type][rank][shape...][byte length][elements]}, the elements in C
 * order as little-endian values, copied in bulk between ND4J's native memory and the byte array (no
 * {@code ObjectOutputStream}, no element-by-element conversion: Java serialization of an ND4J array
 * costs about 5 ms per MB each way). Reading checks every length against the frame before it
 * allocates, so a truncated or corrupt frame is an error, not a huge allocation.
 */
final class RawArrays {
    private static final DataType[] TYPES = DataType.values();

    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("the raw array codec assumes a little-endian platform, found "
                    + ByteOrder.nativeOrder());
        }
    }

    private RawArrays() {
    }

    /** ND4J's own way back from the proxy an array writes in its place ({@code readResolve}, private). */
    private static final java.lang.reflect.Method RESOLVE;

    static {
        try {
            RESOLVE = BaseNDArrayProxy.class.getDeclaredMethod("readResolve");
            RESOLVE.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("this ND4J has no BaseNDArrayProxy.readResolve: " + e);
        }
    }

    /** The array a serialization proxy stands for. */
    static INDArray fromProxy(BaseNDArrayProxy proxy) throws IOException {
        try {
            return (INDArray) RESOLVE.invoke(proxy);
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot take the array out of ND4J's serialization proxy: " + e, e);
        }
    }

    /** The contiguous C-ordered array holding {@code a}'s values ({@code a} itself when it is one). */
    static INDArray contiguous(INDArray a) {
        return a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
    }

    /** Bytes {@link #write} takes for {@code a} (contiguous). */
    static long size(INDArray a) {
        return 1 + 4 + 8L * a.rank() + 8 + a.length() * (long) a.dataType().width();
    }

    /** Writes the contiguous {@code a} into {@code out} at its position. */
    static void write(INDArray a, ByteBuffer out) {
        out.put((byte) a.dataType().ordinal());
        out.putInt(a.rank());
        for (long d : a.shape()) {
            out.putLong(d);
        }
        long bytes = a.length() * (long) a.dataType().width();
        out.putLong(bytes);
        if (bytes > 0) {
            ByteBuffer src = a.data().asNio().order(ByteOrder.LITTLE_ENDIAN);
            int from = (int) (a.offset() * a.dataType().width());
            out.put(src.duplicate().position(from).limit(from + (int) bytes));
        }
    }

    /** Reads one array from {@code in} at its position. */
    static INDArray read(ByteBuffer in) throws IOException {
        need(in, 5, "an array's header");
        int type = in.get();
        if (type < 0 || type >= TYPES.length) {
            throw new StreamCorruptedException("unknown array type " + type);
        }
        DataType dataType = TYPES[type];
        int rank = in.getInt();
        if (rank < 0 || rank > 32) {
            throw new StreamCorruptedException("array rank " + rank + " out of range");
        }
        need(in, 8L * rank + 8, "an array's shape");
        long[] shape = new long[rank];
        long length = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = in.getLong();
            if (shape[i] < 0) {
                throw new StreamCorruptedException("negative array dimension " + shape[i]);
            }
            length = Math.multiplyExact(length, shape[i]);
        }
        long bytes = in.getLong();
        if (bytes != length * dataType.width()) {
            throw new StreamCorruptedException("array of " + dataType + " " + java.util.Arrays.toString(shape)
                    + " announced " + bytes + " bytes");
        }
        need(in, bytes, "an array's elements");
        if (length == 0) {
            return Nd4j.create(dataType, shape);
        }
        INDArray a = Nd4j.createUninitialized(dataType, shape, 'c');
        ByteBuffer dst = a.data().asNio().order(ByteOrder.LITTLE_ENDIAN);
        dst.put(in.duplicate().limit(in.position() + (int) bytes));
        in.position(in.position() + (int) bytes);
        // written through the host copy: on a GPU backend the device copy is now the stale one
        Nd4j.getAffinityManager().tagLocation(a, AffinityManager.Location.HOST);
        return a;
    }

    /** Bytes of {@code arrays} as {@link #write} writes them, one after the other. */
    static long size(List<INDArray> arrays) {
        long n = 0;
        for (INDArray a : arrays) {
            n += size(a);
        }
        return n;
    }

    private static void need(ByteBuffer in, long bytes, String what) throws StreamCorruptedException {
        if (bytes > in.remaining()) {
            throw new StreamCorruptedException("truncated round message: " + what + " needs " + bytes + " bytes, "
                    + in.remaining() + " left");
        }
    }
}
