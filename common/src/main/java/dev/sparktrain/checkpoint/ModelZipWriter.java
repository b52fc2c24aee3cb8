package dev.sparktrain.checkpoint;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.OutputStream;

/** Writes a DL4J ModelSerializer zip of the network with the given flat parameters. */
@FunctionalInterface
public interface ModelZipWriter {
    void write(INDArray params, OutputStream out) throws IOException;
}
