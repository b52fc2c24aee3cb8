package dev.sparktrain.job.engine;

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

/**
 * The frames resident tasks and the driver exchange: a task's hello (magic, the job's secret,
 * shard, attempt), then {@code [kind][round][length][Java-serialized body]} both ways. Bodies are
 * read only after the hello's secret matched.
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

    static byte[] serialize(Serializable value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize a " + value.getClass().getSimpleName(), e);
        }
        return bytes.toByteArray();
    }

    /** Classes resolve in {@code loader} (the job jar's, which on an executor is not the JVM's). */
    static Object deserialize(byte[] body, ClassLoader loader) throws IOException {
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(body), loader)) {
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException("cannot read a round message: " + e.getMessage(), e);
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

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }
}
