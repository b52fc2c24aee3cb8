package dev.sparktrain.data;

import dev.sparktrain.config.DataConfig;
import org.apache.hadoop.fs.FileStatus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A lazy image-folder dataset ({@code root/<class>/<file>.png|jpg}, torchvision's ImageFolder): it
 * holds only paths and labels; {@code get(i)} reads and decodes the i-th image from the file system
 * and resizes it to the configured size. Class names are sorted to indices 0, 1, ...; files are taken
 * in name order within a class.
 */
public final class ImageFolderDataset implements Dataset {
    private static final long serialVersionUID = 1L;
    private final String[] paths;
    private final int[] labels;
    private final int[] ids;
    private final List<String> classNames;
    private final DataConfig.Image size;

    private ImageFolderDataset(String[] paths, int[] labels, int[] ids, List<String> classNames,
                               DataConfig.Image size) {
        this.paths = paths;
        this.labels = labels;
        this.ids = ids;
        this.classNames = List.copyOf(classNames);
        this.size = size;
    }

    /** Lists {@code root}: the first {@code limit} images (0 = all) in class, then name, order. */
    public static ImageFolderDataset scan(String root, DataConfig.Image size, int classes, int limit) {
        List<String> names = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (FileStatus dir : DataFiles.list(root)) {
            if (!dir.isDirectory()) {
                continue;
            }
            int label = names.size();
            names.add(dir.getPath().getName());
            for (FileStatus f : DataFiles.list(dir.getPath().toString())) {
                if (f.isFile() && isImage(f.getPath().getName())) {
                    paths.add(f.getPath().toString());
                    labels.add(label);
                }
            }
        }
        if (paths.isEmpty()) {
            throw new DataException("empty dataset: no .png/.jpg images in " + root + "/<class>/ (class folders found: "
                    + names + ")");
        }
        if (names.size() > classes) {
            throw new DataException(root + ": " + names.size() + " class folders " + names + ", but data.classes = "
                    + classes + ": labels would fall outside [0, " + classes + ")");
        }
        int n = limit > 0 ? Math.min(limit, paths.size()) : paths.size();
        int[] ids = new int[n];
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
            l[i] = labels.get(i);
        }
        return new ImageFolderDataset(paths.subList(0, n).toArray(String[]::new), l, ids, names, size);
    }

    private static boolean isImage(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    public List<String> classNames() {
        return classNames;
    }

    public String path(int i) {
        return paths[i];
    }

    public int label(int i) {
        return labels[i];
    }

    @Override
    public int size() {
        return paths.length;
    }

    @Override
    public int[] shape() {
        return new int[]{size.channels(), size.height(), size.width()};
    }

    @Override
    public Example get(int i) {
        byte[] bytes;
        try {
            bytes = DataFiles.readAll(paths[i]);
        } catch (IOException e) {
            throw new DataException("cannot read image " + paths[i] + ": " + e.getMessage(), e);
        }
        float[] f = ImageDecoder.decode(bytes, paths[i], size.channels(), size.height(), size.width());
        return Example.classified(f, labels[i], ids[i]);
    }

    @Override
    public ImageFolderDataset select(int[] idx) {
        String[] p = new String[idx.length];
        int[] l = new int[idx.length];
        int[] d = new int[idx.length];
        for (int j = 0; j < idx.length; j++) {
            p[j] = paths[idx[j]];
            l[j] = labels[idx[j]];
            d[j] = ids[idx[j]];
        }
        return new ImageFolderDataset(p, l, d, classNames, size);
    }
}
