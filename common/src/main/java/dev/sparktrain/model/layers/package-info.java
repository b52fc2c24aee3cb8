/**
 * Custom layers as PyTorch's basics tutorial writes them, as DL4J layers with hand-written forward
 * and backward passes: {@link dev.sparktrain.model.layers.CenteredLayer} ({@code x - x.mean()}),
 * {@link dev.sparktrain.model.layers.ParameterListLayer} (an {@code nn.ParameterList} of matrices
 * applied in turn) and {@link dev.sparktrain.model.layers.ParameterDictLayer} (an
 * {@code nn.ParameterDict} with one entry chosen). Each is a DL4J layer configuration (JSON-serializable,
 * so ModelSerializer zips restore them), a parameter initializer and a layer implementation; their
 * gradients are checked by finite differences in the tests.
 */
package dev.sparktrain.model.layers;
