package dev.sparktrain.data;

/**
 * A class-labelled image kept encoded (PNG/JPEG) until its minibatch is built: its bytes in hand (a
 * table's binary column) or read from {@code where}, a file URI (an image folder). {@code where}
 * names the image in error messages either way.
 */
public record ImageRef(String where, byte[] bytes, int label, long id) implements Record {

    public ImageRef {
        if (label < 0) {
            throw new IllegalArgumentException("an image reference needs a class label, found " + label + " for " + where);
        }
    }
}
