package dev.sparktrain.data;

import dev.sparktrain.config.DataConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransformsTest {
    static DataConfig.Transforms spec(double scale, double[] mean, double[] std, boolean flip, int pad) {
        return new DataConfig.Transforms(scale, mean, std, false, flip, pad);
    }

    /** n examples of 1 x h x w with pixel value = id * 100 + position, label = id % 3. */
    static ArrayDataset ramp(int n, int h, int w) {
        float[] f = new float[n * h * w];
        int[] labels = new int[n];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < h * w; p++) {
                f[i * h * w + p] = i * 100 + p;
            }
            labels[i] = i % 3;
            ids[i] = i;
        }
        return new ArrayDataset(f, labels, ids, 1, h, w);
    }

    @Test
    void scaleThenNormalizePerChannel() {
        // 2 channels of 1 x 2: channel 0 = {1, 2}, channel 1 = {3, 4}
        ArrayDataset d = new ArrayDataset(new float[]{1, 2, 3, 4}, new int[]{0}, new long[]{0}, 2, 1, 2);
        Dataset t = new TransformedDataset(d, spec(2, new double[]{1, 0}, new double[]{2, 4}, false, 0),
                new double[]{1, 0}, new double[]{2, 4}, true, LabelMode.ONE_HOT, 1);
        // (2x - mean) / std: (2-1)/2, (4-1)/2, (6-0)/4, (8-0)/4
        assertArrayEquals(new float[]{0.5f, 1.5f, 1.5f, 2f}, t.get(0).features());
        assertThrows(DataException.class, () -> new TransformedDataset(d, spec(1, new double[]{0}, new double[]{1},
                false, 0), new double[]{0}, new double[]{1}, true, LabelMode.ONE_HOT, 1));
    }

    @Test
    void shiftAndFlipMoveAndZeroFillPixels() {
        float[] img = {1, 2, 3, 4, 5, 6}; // 2 x 3
        assertArrayEquals(new float[]{3, 2, 1, 6, 5, 4}, TransformedDataset.shiftAndFlip(img, 1, 2, 3, 0, 0, true));
        assertArrayEquals(new float[]{4, 5, 6, 0, 0, 0}, TransformedDataset.shiftAndFlip(img, 1, 2, 3, 1, 0, false));
        assertArrayEquals(new float[]{0, 1, 2, 0, 4, 5}, TransformedDataset.shiftAndFlip(img, 1, 2, 3, 0, -1, false));
        // crop (shift by dx = -1: {0, 1, 2}), then flip: {2, 1, 0}
        assertArrayEquals(new float[]{2, 1, 0, 5, 4, 0}, TransformedDataset.shiftAndFlip(img, 1, 2, 3, 0, -1, true));
    }

    @Test
    void randomFlipAndCropArePureFunctionsOfSeedEpochAndExample() {
        ArrayDataset d = ramp(200, 4, 4);
        Dataset t = new TransformedDataset(d, spec(1, new double[0], new double[0], true, 1), new double[0],
                new double[0], true, LabelMode.ONE_HOT, 42);
        Dataset e0 = t.forEpoch(0);
        Dataset e1 = t.forEpoch(1);
        int unchanged = 0;
        int sameAcrossEpochs = 0;
        for (int i = 0; i < d.size(); i++) {
            assertArrayEquals(e0.get(i).features(), t.forEpoch(0).get(i).features(), "example " + i);
            // the same example id in another dataset (another shard, other position) gets the same draw
            assertArrayEquals(e0.get(i).features(), e0.select(new int[]{i}).get(0).features());
            unchanged += Arrays.equals(e0.get(i).features(), d.get(i).features()) ? 1 : 0;
            sameAcrossEpochs += Arrays.equals(e0.get(i).features(), e1.get(i).features()) ? 1 : 0;
        }
        // P(no flip and zero offset) = 1/2 * 1/3 * 1/3 = 1/18 of 200 = 11 expected
        assertTrue(unchanged > 0 && unchanged < 30, "unchanged " + unchanged);
        assertTrue(sameAcrossEpochs < 40, "same draw in epochs 0 and 1: " + sameAcrossEpochs);
        Dataset other = new TransformedDataset(d, spec(1, new double[0], new double[0], true, 1), new double[0],
                new double[0], true, LabelMode.ONE_HOT, 43).forEpoch(0);
        assertFalse(IntStream.range(0, 50).allMatch(i -> Arrays.equals(other.get(i).features(), e0.get(i).features())));
    }

    @Test
    void validationDataIsNeverRandomlyTransformed() {
        ArrayDataset d = ramp(20, 3, 3);
        Dataset v = new TransformedDataset(d, spec(1, new double[0], new double[0], true, 2), new double[0],
                new double[0], false, LabelMode.ONE_HOT, 42).forEpoch(3);
        for (int i = 0; i < d.size(); i++) {
            assertArrayEquals(d.get(i).features(), v.get(i).features());
        }
    }

    @Test
    void indexLabelsCollateToOneColumn() {
        Dataset t = new TransformedDataset(ramp(5, 1, 1), spec(1, new double[0], new double[0], false, 0),
                new double[0], new double[0], true, LabelMode.INDEX, 1);
        DataSet b = t.batch(new int[]{4, 2, 0}, 3, DataType.FLOAT);
        assertArrayEquals(new long[]{3, 1}, b.getLabels().shape());
        assertArrayEquals(new float[]{1, 2, 0}, b.getLabels().data().asFloat());
    }

    @Test
    void theInMemoryFastPathCollatesLikeCollate() {
        ArrayDataset d = ramp(9, 2, 3);
        int[] idx = {8, 0, 4, 4};
        Example[] ex = Arrays.stream(idx).mapToObj(d::get).toArray(Example[]::new);
        for (DataType dtype : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            DataSet fast = d.batch(idx, 3, dtype);
            DataSet generic = new Collate(LabelMode.ONE_HOT, 3).apply(ex, dtype);
            assertEquals(generic.getFeatures(), fast.getFeatures());
            assertEquals(generic.getLabels(), fast.getLabels());
        }
        assertTrue(assertThrows(DataException.class, () -> d.batch(idx, 2, DataType.FLOAT)).getMessage()
                .contains("label 2 is outside [0, 2)"));
    }

    @Test
    void channelStatsGiveMeanAndPopulationStd() {
        // channel 0 = {0, 2, 4, 6}: mean 3, var (9+1+1+9)/4 = 5; channel 1 constant 7: std 1 by convention
        ArrayDataset d = new ArrayDataset(new float[]{0, 2, 7, 7, 4, 6, 7, 7}, new int[]{0, 0}, new long[]{0, 1},
                2, 1, 2);
        ChannelStats s = ChannelStats.of(d, 1.0);
        assertArrayEquals(new double[]{3, 7}, s.mean(), 1e-12);
        assertArrayEquals(new double[]{Math.sqrt(5), 1}, s.std(), 1e-12);
        ChannelStats halves = ChannelStats.of(d.select(new int[]{0}), 1.0).plus(ChannelStats.of(d.select(new int[]{1}), 1.0));
        assertArrayEquals(s.mean(), halves.mean(), 1e-12);
        assertArrayEquals(s.std(), halves.std(), 1e-12);
    }
}
