package dev.sparktrain.data.format;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.DataNotFoundException;
import dev.sparktrain.data.DataFiles;
import dev.sparktrain.data.HadoopConf;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * {@code data.format = idx}: an IDX image file and label file ({@code data.train.images/labels}), gz
 * or plain. Compressed streams cannot be split, so the pair is one part, read by one task.
 */
final class IdxFormat implements DataFormat {

    @Override
    public String name() {
        return "idx";
    }

    @Override
    public Source open(DataConfig data, DataConfig.DataSource src, HadoopConf conf) {
        int[] s = IdxReader.imageShape(src.images(), conf.get());
        long bytes = length(src.labels(), conf) + length(src.images(), conf);
        return new IdxSource(src.images(), src.labels(), new int[]{1, s[0], s[1]}, data.classes(), bytes, conf);
    }

    private static long length(String uri, HadoopConf conf) {
        Path p = new Path(uri);
        try {
            FileStatus st = DataFiles.fs(p, conf.get()).getFileStatus(p);
            return st.getLen();
        } catch (FileNotFoundException e) {
            throw new DataNotFoundException("data file not found: " + uri, e);
        } catch (IOException e) {
            throw new DataException("cannot read " + uri + ": " + e.getMessage(), e);
        }
    }

    /** The file pair as one part. */
    private record IdxSource(String images, String labels, int[] shape, int classes, long bytes, HadoopConf conf)
            implements Source {

        @Override
        public String describe() {
            return images + " + " + labels;
        }

        @Override
        public int targetSize() {
            return 0;
        }

        @Override
        public int parts() {
            return 1;
        }

        @Override
        public String[] hosts(int part) {
            return new String[0];
        }

        @Override
        public RecordReader read(int part) {
            if (part != 0) {
                throw new IndexOutOfBoundsException("part " + part + " of an IDX source of 1 part");
            }
            return new IdxReader(images, labels, 0, classes, conf.get());
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }
    }
}
