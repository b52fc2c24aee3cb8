package dev.sparktrain.job.engine;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.Serializable;
import java.io.StreamCorruptedException;

/**
 * A round request or result in {@link RoundWire}'s body form (its arrays raw), for the ways Spark
 * itself moves objects: a round's broadcast and a task's result. Spark's Java serializer then writes
 * the body as one opaque byte block, so no ND4J array goes through Java serialization there either.
 */
public final class RawMessage implements Externalizable {
    private static final long serialVersionUID = 1L;
    private byte[] body;

    /** For Java serialization only. */
    public RawMessage() {
    }

    private RawMessage(byte[] body) {
        this.body = body;
    }

    /** {@code value} encoded. */
    public static RawMessage of(Serializable value) {
        return new RawMessage(RoundWire.serialize(value));
    }

    /** The value, its classes resolved in the job jar's loader. */
    public Object decode() {
        try {
            return RoundWire.deserialize(body, RawMessage.class.getClassLoader());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read a round message of " + body.length + " bytes: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
        out.writeInt(body.length);
        out.write(body);
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new StreamCorruptedException("round message of negative length " + n);
        }
        body = new byte[n];
        in.readFully(body);
    }
}
