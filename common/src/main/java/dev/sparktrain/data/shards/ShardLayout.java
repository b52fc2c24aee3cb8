package dev.sparktrain.data.shards;

import dev.sparktrain.data.BatchPlan;
import dev.sparktrain.data.Dataset;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which shard, and which side of the train/validation split, each row belongs to: the one rule both
 * trainers follow. A row with stable id {@code id} ({@link dev.sparktrain.data.RowIds}) goes
 * <ul>
 *   <li>to validation when it comes from the validation source, or, with a fraction f > 0 split off the
 *   training source, when {@code u(seed, id) < f}, u uniform in [0, 1) from a 64-bit mix of seed and id;</li>
 *   <li>to shard {@code h(seed, id) mod P}, h another 64-bit mix (independent of u: the split does not
 *   depend on P).</li>
 * </ul>
 * Inside a shard rows are kept in id order (identical rows share an id and are interchangeable), so a
 * shard's content and order do not depend on which task read which file, or when. The epoch's order
 * within a shard and the padding of shorter shards to the longest one are {@link BatchPlan}'s, a pure
 * function of (seed, epoch, shard). Nothing here is proportional to the number of rows.
 *
 * <p>Partitions number the shards of both parts: training shards 0 .. P-1, validation shards P .. 2P-1.
 */
public record ShardLayout(long seed, double valFraction, int shards) implements Serializable {
    /** Rows in a shard are kept in this order. */
    public static final Comparator<Long> ROW_ORDER = Long::compare;
    private static final long SPLIT = 0x53504C4954L;
    private static final long SHARD = 0x5348415244L;

    public ShardLayout {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, found " + shards);
        }
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), found " + valFraction);
        }
    }

    /** Whether a row of the training source goes to validation. */
    public boolean validation(long id) {
        if (valFraction == 0) {
            return false;
        }
        long h = BatchPlan.mix(seed, id, SPLIT);
        return (h >>> 11) * 0x1.0p-53 < valFraction;
    }

    /** The shard of a row, in [0, P). */
    public int shard(long id) {
        return Math.floorMod(BatchPlan.mix(seed, id, SHARD), shards);
    }

    /** The partition of a row read from the validation source ({@code fromValSource}) or the training source. */
    public int partition(long id, boolean fromValSource) {
        boolean val = fromValSource || validation(id);
        return (val ? shards : 0) + shard(id);
    }

    /** Training and validation shards: 2P. */
    public int partitions() {
        return 2 * shards;
    }

    /** Whether partition {@code p} holds validation rows. */
    public boolean isValidation(int partition) {
        return partition >= shards;
    }

    /** The shard number of partition {@code p}. */
    public int shardOf(int partition) {
        return partition % shards;
    }

    /**
     * The examples of an in-memory dataset placed by this rule: 2P views (training shards, then
     * validation shards), each in id order, as reading the same rows from files would give.
     */
    public List<Dataset> place(Dataset d, boolean fromValSource) {
        List<List<Integer>> idx = new ArrayList<>();
        for (int p = 0; p < partitions(); p++) {
            idx.add(new ArrayList<>());
        }
        for (int i = 0; i < d.size(); i++) {
            idx.get(partition(d.id(i), fromValSource)).add(i);
        }
        List<Dataset> out = new ArrayList<>();
        for (List<Integer> rows : idx) {
            out.add(d.select(rows.stream().sorted(Comparator.comparing(d::id, ROW_ORDER))
                    .mapToInt(Integer::intValue).toArray()));
        }
        return out;
    }

    /** The training shards of an in-memory dataset (without a validation fraction: all its examples). */
    public List<Dataset> trainShards(Dataset d) {
        return place(d, false).subList(0, shards);
    }

    /** The minibatch plan over training shards of these sizes. */
    public BatchPlan plan(List<Dataset> trainShards, int batchSize, boolean dropLast) {
        return plan(trainShards.stream().mapToInt(Dataset::size).toArray(), batchSize, dropLast);
    }

    /** The minibatch plan over training shards of these sizes. */
    public BatchPlan plan(int[] trainSizes, int batchSize, boolean dropLast) {
        if (trainSizes.length != shards) {
            throw new IllegalArgumentException(trainSizes.length + " shard sizes for " + shards + " shards");
        }
        return new BatchPlan(seed, trainSizes, batchSize, dropLast, true);
    }
}
