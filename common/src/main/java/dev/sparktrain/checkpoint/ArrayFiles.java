package dev.sparktrain.checkpoint;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named ND4J arrays in one stream: a count, then (name, array in ND4J's binary format) pairs. Exact. */
final class ArrayFiles {
    private ArrayFiles() {
    }

    static void write(Map<String, INDArray> arrays, OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(arrays.size());
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            data.writeUTF(e.getKey());
            Nd4j.write(e.getValue(), data);
        }
        data.flush();
    }

    static Map<String, INDArray> read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int n = data.readInt();
        if (n < 0 || n > 10_000) {
            throw new IOException("bad array count " + n);
        }
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            arrays.put(data.readUTF(), Nd4j.read(data));
        }
        return arrays;
    }
}
