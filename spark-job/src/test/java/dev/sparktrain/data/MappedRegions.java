package dev.sparktrain.data;

/** Lets the Spark tests map shard files in tiny regions (the region size is package-private). */
public final class MappedRegions {
    private MappedRegions() {
    }

    /** Sets the region size of files mapped from now on; returns the previous one. */
    public static int set(int bytes) {
        int old = MappedDataset.REGION_BYTES;
        MappedDataset.REGION_BYTES = bytes;
        return old;
    }
}
