package dev.sparktrain.job.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The job jar on a Spark line's own classpath, as spark-submit puts it together (Spark's jars, then
 * the job jar): prints which version of Jackson, slf4j, Netty, Guava, protobuf, Hadoop, Scala, Spark,
 * ND4J and DL4J each wins and from which jar, counts the classes the job jar shares with Spark's jars
 * (failing on shared classes of those libraries: two copies of one class break at run time), then
 * touches them all in one JVM: Spark SQL writes and reads Parquet through Hadoop's FileSystem, Jackson
 * round-trips, ND4J multiplies, DL4J runs a network. {@code ClasspathCheck JOB_JAR}; exits 1 on a
 * conflict or a failure. Run by scripts/classpath-check.sh for each line.
 */
public final class ClasspathCheck {
    /** library -> a class it owns. */
    private static final Map<String, String> LIBRARIES = new java.util.LinkedHashMap<>();
    /** Packages whose classes must exist once: a second copy in the job jar shadows or breaks Spark's. */
    private static final List<String> SINGLE_COPY = List.of("com/fasterxml/jackson/", "org/slf4j/", "io/netty/",
            "com/google/common/", "com/google/protobuf/", "org/apache/hadoop/", "scala/", "org/apache/spark/",
            "org/apache/logging/log4j/");

    static {
        LIBRARIES.put("com.fasterxml.jackson.core/jackson-databind", "com.fasterxml.jackson.databind.ObjectMapper");
        LIBRARIES.put("org.slf4j/slf4j-api", "org.slf4j.LoggerFactory");
        LIBRARIES.put("io.netty/netty-transport", "io.netty.channel.Channel");
        LIBRARIES.put("com.google.guava/guava", "com.google.common.collect.ImmutableList");
        LIBRARIES.put("com.google.protobuf/protobuf-java", "com.google.protobuf.Message");
        LIBRARIES.put("org.apache.hadoop/hadoop-client-api", "org.apache.hadoop.fs.FileSystem");
        LIBRARIES.put("org.scala-lang/scala-library", "scala.Option");
        LIBRARIES.put("org.apache.spark/spark-core", "org.apache.spark.SparkContext");
        LIBRARIES.put("org.nd4j/nd4j-api", "org.nd4j.linalg.factory.Nd4j");
        LIBRARIES.put("org.deeplearning4j/deeplearning4j-nn", "org.deeplearning4j.nn.multilayer.MultiLayerNetwork");
    }

    private ClasspathCheck() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ClasspathCheck JOB_JAR");
            System.exit(2);
        }
        System.out.printf("Java %s; classpath: Spark's jars, then %s%n", System.getProperty("java.version"),
                new File(args[0]).getName());
        System.out.printf("%-20s %-16s %s%n", "library", "version", "loaded from");
        for (Map.Entry<String, String> lib : LIBRARIES.entrySet()) {
            Class<?> c = Class.forName(lib.getValue());
            String from = jarOf(c);
            System.out.printf("%-20s %-16s %s%n", lib.getKey().substring(lib.getKey().indexOf('/') + 1),
                    version(lib.getKey(), c), from);
        }
        int conflicts = duplicates(new File(args[0]));
        exercise();
        if (conflicts > 0) {
            System.out.println("FAILED: " + conflicts + " classes of single-copy libraries are in the job jar and in Spark's jars");
            System.exit(1);
        }
        System.out.println("classpath check passed");
    }

    /** The Maven version in the pom.properties of the jar the class came from (shaded jars keep them), else the jar's name. */
    private static String version(String groupArtifact, Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "?";
        }
        File jar = new File(source.getLocation().getPath());
        try (JarFile j = new JarFile(jar)) {
            JarEntry e = j.getJarEntry("META-INF/maven/" + groupArtifact + "/pom.properties");
            if (e != null) {
                java.util.Properties p = new java.util.Properties();
                try (java.io.InputStream in = j.getInputStream(e)) {
                    p.load(in);
                }
                if (p.getProperty("version") != null) {
                    return p.getProperty("version");
                }
            }
        } catch (IOException e) {
            // not a jar: fall through to the name
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-(\\d[\\w.]*(?:-[\\w.]+)?)\\.jar$")
                .matcher(jar.getName());
        return m.find() ? m.group(1) : "?";
    }

    private static String jarOf(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? "(bootstrap)"
                : new File(source.getLocation().getPath()).getName();
    }

    /** Classes in both the job jar and Spark's jars; returns how many belong to the single-copy libraries. */
    private static int duplicates(File jobJar) throws IOException, URISyntaxException {
        Set<String> job = classes(jobJar);
        Map<String, Integer> shared = new TreeMap<>();
        int conflicts = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            File f = new File(entry);
            if (!f.getName().endsWith(".jar") || f.getCanonicalFile().equals(jobJar.getCanonicalFile())) {
                continue;
            }
            for (String c : classes(f)) {
                if (job.contains(c)) {
                    String pkg = c.contains("/") ? c.substring(0, c.lastIndexOf('/')) : c;
                    shared.merge(f.getName() + " " + pkg, 1, Integer::sum);
                    if (SINGLE_COPY.stream().anyMatch(c::startsWith)) {
                        conflicts++;
                    }
                }
            }
        }
        System.out.printf("classes the job jar shares with Spark's jars: %d in %d packages%s%n",
                shared.values().stream().mapToInt(Integer::intValue).sum(), shared.size(),
                shared.isEmpty() ? "" : ":");
        shared.entrySet().stream().limit(20).forEach(e -> System.out.printf("  %5d  %s%n", e.getValue(), e.getKey()));
        return conflicts;
    }

    private static Set<String> classes(File jar) throws IOException {
        Set<String> names = new TreeSet<>();
        try (JarFile j = new JarFile(jar)) {
            Enumeration<JarEntry> entries = j.entries();
            while (entries.hasMoreElements()) {
                String n = entries.nextElement().getName();
                if (n.endsWith(".class") && !n.endsWith("module-info.class") && !n.startsWith("META-INF/")) {
                    names.add(n);
                }
            }
        }
        return names;
    }

    /** Spark SQL + Parquet through Hadoop FS, Jackson, ND4J and DL4J in this one JVM. */
    private static void exercise() throws Exception {
        java.nio.file.Path dir = Files.createTempDirectory("classpath-check");
        SparkSession spark = SparkSession.builder().master("local[1]").appName("classpath-check")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                rows.add(RowFactory.create(i, "row " + i));
            }
            String parquet = dir.resolve("rows.parquet").toUri().toString();
            spark.createDataFrame(rows, new StructType().add("id", DataTypes.IntegerType).add("name", DataTypes.StringType))
                    .write().parquet(parquet);
            Dataset<Row> back = spark.read().parquet(parquet);
            long n = back.count();
            FileSystem fs = new Path(parquet).getFileSystem(new Configuration());
            Path marker = new Path(dir.toUri().toString(), "marker.json");
            try (FSDataOutputStream out = fs.create(marker)) {
                out.write(new ObjectMapper().writeValueAsString(Map.of("rows", n)).getBytes(StandardCharsets.UTF_8));
            }
            long fromJson = new ObjectMapper().readTree(fs.open(marker)).get("rows").asLong();
            INDArray product = Nd4j.createFromArray(new float[][]{{1, 2}, {3, 4}}).mmul(Nd4j.createFromArray(new float[][]{{1}, {1}}));
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                    .layer(new DenseLayer.Builder().nIn(2).nOut(3).activation(Activation.RELU).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
                            .activation(Activation.SOFTMAX).build()).build());
            net.init();
            INDArray out = net.output(Nd4j.createFromArray(new float[][]{{0.5f, -1f}}));
            boolean ok = n == 10 && fromJson == 10 && product.getDouble(0, 0) == 3 && product.getDouble(1, 0) == 7
                    && Math.abs(out.sumNumber().doubleValue() - 1) < 1e-5;
            System.out.printf("Spark SQL wrote and read %d Parquet rows through %s; Jackson read back %d; "
                    + "ND4J [[1,2],[3,4]] x [1,1] = %s; DL4J softmax sums to %.6f%n", n, fs.getScheme(), fromJson,
                    product.reshape(2).toString().replace("\n", ""), out.sumNumber().doubleValue());
            if (!ok) {
                System.out.println("FAILED: a library gave a wrong answer");
                System.exit(1);
            }
        } finally {
            spark.stop();
        }
    }
}
