package dev.sparktrain.data.shards;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.ChannelStats;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.HadoopConf;
import dev.sparktrain.data.LabelMode;
import dev.sparktrain.data.Record;
import dev.sparktrain.data.TransformedDataset;
import dev.sparktrain.data.format.DataFormats;
import dev.sparktrain.data.format.RecordReader;
import dev.sparktrain.data.format.Source;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The preparation step of a run's data, shared by the single-process trainer and the Spark engine:
 * which sources are read ({@link #inputs()}), where each row goes ({@link #partition}: the
 * {@link ShardLayout}), how a shard is built from its rows in id order ({@link ShardBuilder}), and the
 * transforms and label mode seen through ({@link #view}). {@link #prepareLocally} runs it all in this
 * process; the job module's Spark loader runs the reading and the building in parallel tasks.
 */
public final class DataPreparation implements Serializable {
    private static final long serialVersionUID = 1L;
    private final DataConfig data;
    private final ShardLayout layout;

    public DataPreparation(DataConfig data, long seed, int shards) {
        this.data = data;
        this.layout = new ShardLayout(seed, data.valFraction(), shards);
    }

    public DataConfig data() {
        return data;
    }

    public ShardLayout layout() {
        return layout;
    }

    /** A source to read, and whether all its rows are validation rows. */
    public record Input(DataConfig.DataSource source, boolean validation) implements Serializable {
    }

    /** The training source, then the validation source unless validation is split off the training one. */
    public List<Input> inputs() {
        if (data.valFraction() > 0) {
            return List.of(new Input(data.train(), false));
        }
        return List.of(new Input(data.train(), false), new Input(data.val(), true));
    }

    /** The partition (training shard, or P + validation shard) of a row of {@code input}. */
    public int partition(Record row, Input input) {
        return layout.partition(row.id(), input.validation());
    }

    /** {channels, height, width} of the examples: from the source's header for sparktrain's formats. */
    public int[] shape(HadoopConf conf) {
        if (data.sparkSql()) {
            return imageShape();
        }
        return DataFormats.open(data, data.train(), conf).shape();
    }

    /** The configured image size, the shape of Spark SQL sources' examples. */
    public int[] imageShape() {
        return new int[]{data.image().channels(), data.image().height(), data.image().width()};
    }

    /** Target values per example; 0 = class labels. */
    public int targetSize() {
        return data.valueTarget() ? 1 : 0;
    }

    /**
     * Reads every source in this process and builds the 2P shards in memory. Sparktrain's own formats
     * only: a Spark SQL source needs Spark.
     */
    public PreparedData prepareLocally(HadoopConf conf) {
        List<List<Record>> rows = new ArrayList<>();
        for (int p = 0; p < layout.partitions(); p++) {
            rows.add(new ArrayList<>());
        }
        int[] shape = null;
        for (Input in : inputs()) {
            Source source = DataFormats.open(data, in.source(), conf);
            checkShape(shape, source.shape(), in, source.describe());
            shape = shape == null ? source.shape() : shape;
            long limit = in.source().limit() > 0 ? in.source().limit() : Long.MAX_VALUE;
            long taken = 0;
            for (int part = 0; part < source.parts() && taken < limit; part++) {
                try (RecordReader reader = source.read(part)) {
                    while (taken < limit && reader.hasNext()) {
                        Record r = reader.next();
                        rows.get(partition(r, in)).add(r);
                        taken++;
                    }
                }
            }
        }
        List<Dataset> shards = new ArrayList<>();
        for (List<Record> partition : rows) {
            partition.sort(Comparator.comparing(Record::id, ShardLayout.ROW_ORDER));
            shards.add(ShardBuilder.build(partition.iterator(), shape, targetSize(), conf, null));
        }
        return checked(shards);
    }

    /**
     * Shards of in-memory datasets (validation from {@code val}, or split off {@code train} when
     * {@code val} is null): the same placement and order as reading them from files.
     */
    public PreparedData prepare(Dataset train, Dataset val) {
        List<Dataset> shards = new ArrayList<>(layout.place(train, false));
        if (val != null) {
            List<Dataset> v = layout.place(val, true);
            for (int p = layout.shards(); p < layout.partitions(); p++) {
                shards.set(p, v.get(p)); // validation-source rows are all in the validation partitions
            }
        }
        return checked(shards);
    }

    /** The validation source's examples ({@code shape}) must have the training source's ({@code trainShape}, null: none yet). */
    public static void checkShape(int[] trainShape, int[] shape, Input in, String describe) {
        if (trainShape != null && !java.util.Arrays.equals(trainShape, shape)) {
            throw new DataException(in.source().key() + " (" + describe + ") has examples of "
                    + java.util.Arrays.toString(shape) + ", the training source "
                    + java.util.Arrays.toString(trainShape) + " (channels, height, width)");
        }
    }

    /** Both parts need rows: the message names the source, or the fraction that selected none. */
    public void checkNotEmpty(long trainSize, long valSize) {
        if (trainSize == 0) {
            throw new DataException("empty dataset: " + data.train().key() + " has no rows");
        }
        if (valSize == 0) {
            throw new DataException("empty validation set: " + (data.valFraction() > 0 ? "data.val-fraction = "
                    + data.valFraction() + " of " + trainSize + " rows selected none"
                    : data.val().key() + " has no rows"));
        }
    }

    private PreparedData checked(List<Dataset> shards) {
        int p = layout.shards();
        PreparedData prepared = new PreparedData(shards.subList(0, p), shards.subList(p, 2 * p));
        checkNotEmpty(prepared.trainSize(), prepared.valSize());
        return prepared;
    }

    /** The configured mean and std per channel, or those of the training shards' statistics. */
    public double[][] normalization(java.util.function.Supplier<ChannelStats> trainStats) {
        if (data.transforms().normalizeFromTrain()) {
            ChannelStats s = trainStats.get();
            return new double[][]{s.mean(), s.std()};
        }
        return new double[][]{data.transforms().mean(), data.transforms().std()};
    }

    /** {@code shard} seen through the configured transforms and label mode (the shard itself if none apply). */
    public Dataset view(Dataset shard, boolean training, double[][] normalization) {
        LabelMode mode = LabelMode.parse(data.labels());
        if (data.transforms().identity() && mode == LabelMode.ONE_HOT) {
            return shard;
        }
        return new TransformedDataset(shard, data.transforms(), normalization[0], normalization[1], training, mode,
                layout.seed());
    }

    /** Prepared in this process and seen through the transforms: training and validation shards. */
    public PreparedData prepareViews(PreparedData raw) {
        double[][] norm = normalization(() -> raw.train().stream()
                .map(d -> ChannelStats.of(d, data.transforms().scale())).reduce(ChannelStats::plus).orElseThrow());
        return new PreparedData(raw.train().stream().map(d -> view(d, true, norm)).toList(),
                raw.val().stream().map(d -> view(d, false, norm)).toList());
    }
}
