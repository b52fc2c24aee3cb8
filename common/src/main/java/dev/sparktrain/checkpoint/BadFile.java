package dev.sparktrain.checkpoint;

/**
 * A file of a checkpoint that does not match its metadata.json (see {@link CheckpointStore#verify}): its
 * name in the checkpoint directory, and what was found.
 */
public record BadFile(String name, String problem) {
    @Override
    public String toString() {
        return name + ": " + problem;
    }
}
