package dev.sparktrain.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The versions a run records: sparktrain's own and the DL4J it was built against (from the build),
 * the DL4J/ND4J and Spark found on the classpath at run time, the native backend and the JVM.
 */
public final class BuildInfo {
    private static final Properties BUILD = load(BuildInfo.class.getClassLoader(), "dev/sparktrain/build.properties");

    private BuildInfo() {
    }

    /** This build's version. */
    public static String sparktrain() {
        return BUILD.getProperty("sparktrain", "unknown");
    }

    /** DL4J's version on the classpath (its Maven metadata), else the one this build was made with. */
    public static String dl4j() {
        String v = mavenVersion("org.deeplearning4j", "deeplearning4j-nn");
        return v != null ? v : BUILD.getProperty("dl4j", "unknown");
    }

    /** Name and value of every version, in a fixed order (what run.json records). */
    public static Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("sparktrain", sparktrain());
        v.put("dl4j", dl4j());
        String nd4j = mavenVersion("org.nd4j", "nd4j-api");
        v.put("nd4j", nd4j != null ? nd4j : dl4j());
        v.put("native-backend", NativeBackend.describe());
        String spark = load(BuildInfo.class.getClassLoader(), "spark-version-info.properties").getProperty("version");
        v.put("spark", spark != null ? spark : "not on the classpath (built for " + BUILD.getProperty("spark") + ")");
        v.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        return v;
    }

    private static String mavenVersion(String group, String artifact) {
        return load(BuildInfo.class.getClassLoader(), "META-INF/maven/" + group + "/" + artifact + "/pom.properties")
                .getProperty("version");
    }

    private static Properties load(ClassLoader loader, String resource) {
        Properties p = new Properties();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // no such metadata: the caller falls back
        }
        return p;
    }
}
