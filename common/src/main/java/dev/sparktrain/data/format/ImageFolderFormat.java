package dev.sparktrain.data.format;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.DataException;
import dev.sparktrain.data.DataFiles;
import dev.sparktrain.data.HadoopConf;
import dev.sparktrain.data.ImageRef;
import dev.sparktrain.data.Record;
import dev.sparktrain.data.RowIds;
import org.apache.hadoop.fs.FileStatus;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.TreeSet;

/**
 * {@code data.format = image-folder}: torchvision's ImageFolder, {@code root/<class>/<file>.png|jpg}
 * (one or several roots). Class folder names, sorted, are the labels 0, 1, ...; images are taken in
 * name order within a class. The driver lists only the class folders; each (root, class) folder is a
 * part whose task lists its images. Images stay encoded until their minibatch is built; the id of an
 * image is its path below the root ({@code class/file.png}).
 */
final class ImageFolderFormat implements DataFormat {
    private static final String LAYOUT = "data.format = image-folder: root/<class>/<image>";

    @Override
    public String name() {
        return "image-folder";
    }

    @Override
    public Source open(DataConfig data, DataConfig.DataSource src, HadoopConf conf) {
        List<String> roots = new ArrayList<>();
        for (String pattern : src.paths()) {
            for (FileStatus match : SourcePaths.matches(pattern, src.key(), conf.get())) {
                if (!match.isDirectory()) {
                    throw new DataException(match.getPath() + " is a file, expected a folder (" + LAYOUT + ")");
                }
                roots.add(match.getPath().toString());
            }
        }
        TreeSet<String> classNames = new TreeSet<>();
        List<String[]> folders = new ArrayList<>();
        for (String root : roots) {
            for (FileStatus dir : DataFiles.list(root, conf.get(), LAYOUT)) {
                if (dir.isDirectory() && !SourcePaths.hidden(dir.getPath())) {
                    classNames.add(dir.getPath().getName());
                    folders.add(new String[]{root, dir.getPath().getName()});
                }
            }
        }
        if (classNames.isEmpty()) {
            throw new DataException("empty dataset: no class folders in " + src.describePaths() + " (" + LAYOUT + ")");
        }
        if (classNames.size() > data.classes()) {
            throw new DataException(src.describePaths() + ": " + classNames.size() + " class folders " + classNames
                    + ", but data.classes = " + data.classes() + ": labels would fall outside [0, " + data.classes() + ")");
        }
        List<String> sorted = List.copyOf(classNames);
        List<Folder> parts = new ArrayList<>();
        for (String name : sorted) { // class order first, so that reading parts in order is class, then name order
            for (String[] f : folders) {
                if (f[1].equals(name)) {
                    parts.add(new Folder(f[0], name, sorted.indexOf(name)));
                }
            }
        }
        DataConfig.Image size = data.image();
        return new FolderSource(src.describePaths(), parts, sorted,
                new int[]{size.channels(), size.height(), size.width()}, conf);
    }

    /** One class folder of one root. */
    private record Folder(String root, String className, int label) implements java.io.Serializable {
    }

    private record FolderSource(String describe, List<Folder> folders, List<String> classNames, int[] shape,
                                HadoopConf conf) implements Source {

        @Override
        public int targetSize() {
            return 0;
        }

        @Override
        public int parts() {
            return folders.size();
        }

        @Override
        public String[] hosts(int part) {
            return new String[0];
        }

        @Override
        public long bytes() {
            return -1; // the images are not listed on the driver
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public RecordReader read(int part) {
            Folder f = folders.get(part);
            List<ImageRef> images = new ArrayList<>();
            String dir = f.root().replaceAll("/+$", "") + "/" + f.className();
            for (FileStatus file : DataFiles.list(dir, conf.get(), LAYOUT)) {
                String name = file.getPath().getName();
                if (file.isFile() && isImage(name)) {
                    images.add(new ImageRef(file.getPath().toString(), null, f.label(),
                            RowIds.of(f.className() + "/" + name)));
                }
            }
            Iterator<ImageRef> it = images.iterator();
            return new RecordReader() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Record next() {
                    if (!it.hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return it.next();
                }

                @Override
                public void close() {
                    // a listing: nothing open
                }
            };
        }
    }

    private static boolean isImage(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }
}
