package dev.sparktrain.model;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up ND4J's native CPU backend before it loads. With the {@code linux-x86_64-onednn} build on
 * the classpath (the default), JavaCPP must be told to load that build, and DL4J's layer helpers
 * must be allowed (DL4J 1.0.0-M2.1 disables them unless {@code org.eclipse.deeplearning4j.helpers.disable}
 * is false); {@code org.nd4j.nativeblas.Nd4jCpu} answers the helpers' outdated availability check.
 * Together these make convolution and pooling use oneDNN: about 3-4x faster LeNet training on CPU.
 * Settings given on the command line win. Call {@link #configure()} before anything touches ND4J.
 */
public final class NativeBackend {
    private static final Logger LOG = LoggerFactory.getLogger(NativeBackend.class);
    static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";
    static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";
    private static final String ONEDNN_LIBRARY =
            "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn/libjnind4jcpu.so";
    /** The class ND4J's CUDA backends load (nd4j-cuda-11.x). */
    public static final String CUDA_BACKEND = "org.nd4j.linalg.jcublas.JCublasBackend";
    private static final String CPU_BACKEND = "org.nd4j.linalg.cpu.nativecpu.CpuBackend";
    private static volatile Boolean onednnSelected;

    private NativeBackend() {
    }

    /** Idempotent and cheap after the first call; true when the oneDNN build is the one loaded. */
    public static boolean configure() {
        Boolean selected = onednnSelected;
        return selected != null ? selected : configureOnce();
    }

    /** Whether ND4J's CUDA backend is on the classpath (what {@code train.device = gpu} needs). */
    public static boolean cudaAvailable() {
        return present(CUDA_BACKEND);
    }

    /** The backend on the classpath, for run.json: "nd4j-native linux-x86_64-onednn", "nd4j-cuda", or none. */
    public static String describe() {
        if (present(CPU_BACKEND)) {
            return "nd4j-native " + (configure() ? "linux-x86_64-onednn" : "linux-x86_64");
        }
        return cudaAvailable() ? "nd4j-cuda" : "none on the classpath";
    }

    private static boolean present(String className) {
        return NativeBackend.class.getClassLoader().getResource(className.replace('.', '/') + ".class") != null;
    }

    private static synchronized boolean configureOnce() {
        if (onednnSelected == null) {
            boolean onednn = NativeBackend.class.getClassLoader().getResource(ONEDNN_LIBRARY) != null;
            if (onednn && System.getProperty(PLATFORM_EXTENSION) == null) {
                System.setProperty(PLATFORM_EXTENSION, "-onednn");
            }
            if (System.getProperty(HELPERS_DISABLE) == null) {
                System.setProperty(HELPERS_DISABLE, "false");
            }
            onednnSelected = onednn && "-onednn".equals(System.getProperty(PLATFORM_EXTENSION));
            LOG.debug("ND4J native backend: {}", onednnSelected ? "oneDNN build, DL4J layer helpers on" : "plain build");
        }
        return onednnSelected;
    }
}
