package dev.sparktrain.bench.peers;

import dev.sparktrain.model.NativeBackend;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.conf.CacheMode;

import java.nio.file.Path;

import java.util.Locale;

/**
 * How DL4J is set up for a run. Choose before anything touches ND4J: the native build is picked
 * when ND4J loads, and the helper switch is read when the first layer is built.
 */
public enum Dl4jSetup {
    /**
     * DL4J as its users run it: the plain {@code linux-x86_64} native build, DL4J's default of
     * {@code org.eclipse.deeplearning4j.helpers.disable} (true: no oneDNN layer helpers) and its default
     * {@code CacheMode.NONE}. sparktrain-common's {@code org.nd4j.nativeblas.Nd4jCpu} is on this
     * module's classpath, but with the helpers disabled DL4J never asks it, so it changes nothing here.
     */
    SHIPPED(CacheMode.NONE),
    /**
     * The repair sparktrain ships ({@link NativeBackend}): the {@code linux-x86_64-onednn} build,
     * the helpers allowed, the {@code Nd4jCpu} shim answering their availability check, plus
     * {@code CacheMode.DEVICE} (backprop reuses the forward pass's im2col), as sparktrain builds its networks.
     */
    REPAIRED(CacheMode.DEVICE);

    private static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";
    private static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";
    private final CacheMode cacheMode;

    Dl4jSetup(CacheMode cacheMode) {
        this.cacheMode = cacheMode;
    }

    public CacheMode cacheMode() {
        return cacheMode;
    }

    /** The name used in arguments and result lines: shipped or repaired. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Dl4jSetup parse(String s) {
        for (Dl4jSetup m : values()) {
            if (m.label().equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("--mode must be shipped or repaired, found '" + s + "'");
    }

    /** The folder (the native build: linux-x86_64 or linux-x86_64-onednn) ND4J's JNI library was loaded from. */
    public static String loadedNativeBuild() {
        return Loader.getLoadedLibraries().values().stream().filter(p -> p.endsWith("libjnind4jcpu.so"))
                .map(p -> Path.of(p).getParent().getFileName().toString()).findFirst().orElse("none loaded");
    }

    /**
     * Selects the native build and the helper switch; returns a description for the log. Fails when
     * the repair cannot be applied (the oneDNN build missing from the classpath), or when a
     * command-line property would silently turn the shipped run into something else.
     */
    public String prepareBackend() {
        if (this == REPAIRED) {
            if (!NativeBackend.configure()) {
                throw new IllegalStateException("mode repaired needs the linux-x86_64-onednn build of nd4j-native"
                        + " selected; found org.bytedeco.javacpp.platform.extension="
                        + System.getProperty(PLATFORM_EXTENSION));
            }
            return "oneDNN repair: DL4J layer helpers on, CacheMode.DEVICE";
        }
        String extension = System.getProperty(PLATFORM_EXTENSION);
        if (extension != null && !extension.isEmpty()) {
            throw new IllegalStateException("mode shipped runs DL4J's plain native build; remove -D" + PLATFORM_EXTENSION
                    + "=" + extension);
        }
        if (System.getProperty(HELPERS_DISABLE) != null) {
            throw new IllegalStateException("mode shipped runs with DL4J's default layer helper setting; remove -D"
                    + HELPERS_DISABLE + "=" + System.getProperty(HELPERS_DISABLE));
        }
        // JavaCPP tries the -onednn build first when its jar is on the classpath (it is: sparktrain-common
        // brings it); DL4J's users (nd4j-native-platform) get the plain build, so ask for that one
        System.setProperty(PLATFORM_EXTENSION, "");
        return "DL4J's defaults: layer helpers disabled, CacheMode.NONE";
    }
}
