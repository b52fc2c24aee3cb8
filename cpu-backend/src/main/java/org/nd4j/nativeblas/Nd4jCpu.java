package org.nd4j.nativeblas;

/**
 * Compatibility shim, not part of sparktrain's API. DL4J 1.0.0-M2.1's oneDNN layer helpers check
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()} by reflection, but that
 * class moved (to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment}) and the method
 * was renamed ({@code isUseONEDNN}); the failed lookup is swallowed and the oneDNN convolution and
 * pooling helpers are silently never used. This class answers the old lookup from the new one.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The old name of libnd4j's environment, as DL4J's {@code BaseMKLDNNHelper} looks it up. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** True when the loaded libnd4j was built with oneDNN and has it switched on. */
        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
