package dev.sparktrain.job.engine;

import org.nd4j.linalg.api.ndarray.BaseNDArrayProxy;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames resident tasks and the driver exchange: a task's hello (magic, the job's secret,
 * shard, attempt), then {@code [kind][round][length][body]} both ways, a body being the message's
 * arrays raw and its small rest Java-serialized ({@link #serialize}). Bodies are read only after the
 * hello's secret matched.
 */
final class RoundWire {
    static final int MAGIC = 0x53545231;
    static final byte ROUND = 1;
    static final byte STOP = 2;
    static final byte RESULT = 3;

    record Frame(byte kind, long round, byte[] body) {
    }

    private RoundWire() {
    }

    /**
     * {@code value} as a round message body: {@code [array count][arrays, raw][the rest, Java-serialized]}.
     * Every ND4J array inside it (parameters, gradients, optimizer state) travels in {@link RawArrays}'
     * form; only the small rest (modes, counts, optimizer spec and hyper-parameters) is Java-serialized,
     * with each array replaced by its index.
     */
    static byte[] serialize(Serializable value) {
        List<INDArray> arrays = new ArrayList<>();
        ByteArrayOutputStream rest = new ByteArrayOutputStream(4 * 1024);
        try (ObjectOutputStream out = new ArrayLifting(rest, arrays)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize a " + value.getClass().getSimpleName(), e);
        }
        long size = 4 + RawArrays.size(arrays) + rest.size();
        if (size > Integer.MAX_VALUE - 64) {
            throw new IllegalStateException("a round message of " + size + " bytes is over the 2 GB a frame holds");
        }
        ByteBuffer body = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        body.putInt(arrays.size());
        for (INDArray a : arrays) {
            RawArrays.write(a, body);
        }
        body.put(rest.toByteArray());
        return body.array();
    }

    /** Classes resolve in {@code loader} (the job jar's, which on an executor is not the JVM's). */
    static Object deserialize(byte[] body, ClassLoader loader) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < 4) {
            throw new StreamCorruptedException("round message of " + body.length + " bytes");
        }
        int count = in.getInt();
        if (count < 0 || count > in.remaining()) {
            throw new StreamCorruptedException("round message announces " + count + " arrays");
        }
        List<INDArray> arrays = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            arrays.add(RawArrays.read(in));
        }
        try (ObjectInputStream rest = new LoaderObjectInputStream(
                new ByteArrayInputStream(body, in.position(), in.remaining()), loader, arrays)) {
            return rest.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException("cannot read a round message: " + e.getMessage(), e);
        }
    }

    /** Where an array stood in the Java-serialized rest of a message. */
    private record ArrayRef(int index) implements Serializable {
    }

    /** Replaces every ND4J array with an {@link ArrayRef}, collecting the arrays (contiguous) in order. */
    private static final class ArrayLifting extends ObjectOutputStream {
        private final List<INDArray> arrays;

        ArrayLifting(ByteArrayOutputStream out, List<INDArray> arrays) throws IOException {
            super(out);
            this.arrays = arrays;
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object obj) throws IOException {
            // ND4J's arrays replace themselves (writeReplace) with a proxy before this sees them
            INDArray a = obj instanceof INDArray array ? array
                    : obj instanceof BaseNDArrayProxy proxy ? RawArrays.fromProxy(proxy) : null;
            if (a == null) {
                return obj;
            }
            arrays.add(RawArrays.contiguous(a));
            return new ArrayRef(arrays.size() - 1);
        }
    }

    static void write(DataOutputStream out, byte kind, long round, byte[] body) throws IOException {
        out.writeByte(kind);
        out.writeLong(round);
        out.writeInt(body.length);
        out.write(body);
        out.flush();
    }

    static Frame read(DataInputStream in) throws IOException {
        byte kind = in.readByte();
        long round = in.readLong();
        int length = in.readInt();
        if (length < 0) {
            throw new StreamCorruptedException("round message of negative length " + length);
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return new Frame(kind, round, body);
    }

    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;
        private final List<INDArray> arrays;

        LoaderObjectInputStream(InputStream in, ClassLoader loader, List<INDArray> arrays) throws IOException {
            super(in);
            this.loader = loader;
            this.arrays = arrays;
            enableResolveObject(true);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }

        @Override
        protected Object resolveObject(Object obj) throws IOException {
            if (obj instanceof ArrayRef ref) {
                if (ref.index() < 0 || ref.index() >= arrays.size()) {
                    throw new StreamCorruptedException("round message refers to array " + ref.index() + " of "
                            + arrays.size());
                }
                return arrays.get(ref.index());
            }
            return obj;
        }
    }
}
