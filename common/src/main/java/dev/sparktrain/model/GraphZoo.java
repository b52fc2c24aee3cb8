package dev.sparktrain.model;

import java.util.Map;
import java.util.Set;

/**
 * The zoo's non-sequential models, built with {@link GraphBuilder}:
 * <ul>
 * <li>{@code resnet} (from the job config): a small ResNet with torchvision's names. Stem
 *     {@code conv1} (3x3, 16) + {@code relu} + {@code maxpool} (2), then two basic blocks
 *     {@code layer1.0} (16 channels, identity skip) and {@code layer2.0} (32 channels, stride 2, a 1x1
 *     {@code downsample.0} convolution on the skip), each {@code relu(conv2(relu(conv1(x))) + skip(x))}
 *     with the sum an ElementWiseVertex, then global average pooling {@code avgpool} and the
 *     classifier {@code fc} with the configured loss. Unlike torchvision's, without batch norm
 *     (GraphBuilder has no batch-norm node yet). 19,562 parameters on 1x28x28 with 10 classes.</li>
 * <li>{@link #imageAndVector}: a two-input model (Java API only: the Spark engine feeds one input).</li>
 * </ul>
 */
public final class GraphZoo {
    /** Model types of the job config that are graphs. */
    public static final Set<String> TYPES = Set.of("resnet");

    private GraphZoo() {
    }

    static boolean isGraph(String type) {
        return TYPES.contains(type);
    }

    /** The graph model for a spec whose type is one of {@link #TYPES}. */
    public static GraphModel build(ModelSpec spec) {
        if (!spec.type().equals("resnet")) {
            throw new IllegalArgumentException("unknown graph model type '" + spec.type() + "'; known: " + TYPES);
        }
        return resnet(spec.channels(), spec.height(), spec.width(), spec.classes(), spec.loss(), spec.seed(),
                spec.dtype(), 16);
    }

    /**
     * The small ResNet above for C x H x W images with {@code planes} channels in the stem and the
     * first block and twice that in the second (the config's resnet has 16); {@code loss} as the
     * config's key (null: softmax + CE).
     */
    public static GraphModel resnet(int channels, int height, int width, int classes, Map<String, Object> loss,
                                    long seed, String dtype, int planes) {
        GraphBuilder g = GraphBuilder.create("ResNet", seed).dtype(dtype)
                .imageInput("input", channels, height, width)
                .conv2d("conv1", "input", planes, 3, 1, 1).relu("relu", "conv1").maxPool2d("maxpool", "relu", 2, 2);
        String x = basicBlock(g, "layer1.0", "maxpool", planes, planes, 1);
        x = basicBlock(g, "layer2.0", x, planes, 2 * planes, 2);
        return g.globalAvgPool("avgpool", x).output("fc", "avgpool", classes, loss).build();
    }

    /** torchvision's BasicBlock without batch norm; returns the name of its output node. */
    private static String basicBlock(GraphBuilder g, String name, String in, int inChannels, int outChannels,
                                     int stride) {
        g.conv2d(name + ".conv1", in, outChannels, 3, stride, 1).relu(name + ".relu1", name + ".conv1")
                .conv2d(name + ".conv2", name + ".relu1", outChannels, 3, 1, 1);
        String skip = in;
        if (stride != 1 || inChannels != outChannels) {
            skip = name + ".downsample.0";
            g.conv2d(skip, in, outChannels, 1, stride, 0);
        }
        g.add(name + ".add", name + ".conv2", skip).relu(name + ".relu2", name + ".add");
        return name + ".relu2";
    }

    /**
     * A two-input classifier: an image branch ({@code image}: conv 3x3 + relu + maxpool 2, linear
     * {@code hidden} + relu) and a vector branch ({@code vector}: linear {@code hidden} + relu),
     * concatenated (MergeVertex) and classified by {@code fc1} ({@code hidden}, relu) and {@code fc2}.
     * Minibatches are MultiDataSets with the image features first; train it with
     * {@link Replica#gradientSum(org.nd4j.linalg.dataset.api.MultiDataSet)}.
     */
    public static GraphModel imageAndVector(int channels, int height, int width, int vectorFeatures, int hidden,
                                            int classes, long seed, String dtype) {
        return GraphBuilder.create("ImageAndVector", seed).dtype(dtype)
                .imageInput("image", channels, height, width).vectorInput("vector", vectorFeatures)
                .conv2d("image_conv", "image", 4, 3, 1, 1).relu("image_relu", "image_conv")
                .maxPool2d("image_pool", "image_relu", 2, 2)
                .linear("image_fc", "image_pool", hidden).relu("image_fc_relu", "image_fc")
                .linear("vector_fc", "vector", hidden).relu("vector_fc_relu", "vector_fc")
                .cat("cat", "image_fc_relu", "vector_fc_relu")
                .linear("fc1", "cat", hidden).relu("fc1_relu", "fc1")
                .output("fc2", "fc1_relu", classes, null)
                .build();
    }
}
