package dev.sparktrain.model.layers;

/** A layer configuration that prints itself as PyTorch prints the module, e.g. {@code CenteredLayer()}. */
public interface ModuleRepr {
    String repr();
}
