package dev.sparktrain.job.bench;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.data.BatchPlan;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.HadoopConf;
import dev.sparktrain.data.shards.DataPreparation;
import dev.sparktrain.data.shards.PreparedData;
import dev.sparktrain.job.engine.ThreadBudget;
import dev.sparktrain.model.GradientSum;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.Replica;
import dev.sparktrain.optim.GroupedOptimizer;
import dev.sparktrain.optim.Optimizers;
import dev.sparktrain.run.TrainingRun;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where one training step's time goes, in one process: the worker's side of a synchronous round
 * (collating the minibatch from the shard, setting the parameters, forward and backward, the gradient
 * copy) and the driver's optimizer step, as {@code ShardStepper} and the driver loop run them; then
 * the same steps under ND4J's op profiler, which names the native ops (convolution, pooling, GEMM,
 * element-wise) and their share.
 *
 * <p>{@code StepProfile CONFIG THREADS STEPS [key=value ...]}: the config's data and model (one
 * shard of all the training data), THREADS ND4J threads (1: one task's budget on local[2]), STEPS
 * timed steps after 50 warm-up steps. Prints the medians per phase and the op profile.
 */
public final class StepProfile {
    private StepProfile() {
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: StepProfile CONFIG THREADS STEPS [key=value ...]");
            System.exit(2);
        }
        List<String> overrides = new ArrayList<>(Arrays.asList(args).subList(3, args.length));
        overrides.add("train.workers=1");
        JobConfig config = ConfigLoader.load(Path.of(args[0]), overrides);
        int threads = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        ThreadBudget.apply(threads);

        DataPreparation prep = new DataPreparation(config.data(), config.train().seed(), 1);
        PreparedData data = prep.prepareViews(prep.prepareLocally(HadoopConf.defaults()));
        Dataset shard = data.train().get(0);
        BatchPlan plan = prep.layout().plan(data.trainSizes(), config.train().batchSize(), config.data().dropLast());
        int[] order = plan.order(0, 0);
        ModelSpec spec = new TrainingRun(config, new PrintStream(OutputStream.nullOutputStream()))
                .withShape(prep.shape(HadoopConf.defaults())).modelSpec();
        Replica replica = new Replica(spec);
        GroupedOptimizer optimizer = Optimizers.create(config.optimizer(), replica.layout());
        INDArray params = replica.params();
        int classes = config.data().classes();

        int warmUp = 50;
        double[][] ms = new double[6][steps];
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = 0;
        long wall0 = 0;
        for (int i = 0; i < warmUp + steps; i++) {
            if (i == warmUp) {
                cpu0 = os.getProcessCpuTime();
                wall0 = System.nanoTime();
            }
            int step = i % plan.stepsPerEpoch();
            long t0 = System.nanoTime();
            DataSet batch = shard.batch(plan.batch(order, step), classes, params.dataType());
            long t1 = System.nanoTime();
            replica.setParams(params);
            long t2 = System.nanoTime();
            replica.output(batch.getFeatures());
            long t3 = System.nanoTime();
            GradientSum g = replica.gradientSum(batch);
            long t4 = System.nanoTime();
            optimizer.step(params, g.gradient().divi(g.count()));
            long t5 = System.nanoTime();
            if (i >= warmUp) {
                int k = i - warmUp;
                ms[0][k] = (t1 - t0) / 1e6;
                ms[1][k] = (t2 - t1) / 1e6;
                ms[2][k] = (t3 - t2) / 1e6;
                ms[3][k] = (t4 - t3) / 1e6;
                ms[4][k] = (t5 - t4) / 1e6;
                ms[5][k] = (t2 - t0 + t5 - t3) / 1e6;
            }
        }
        String[] names = {"collate the minibatch (shard -> DataSet)", "set parameters (flat copy)",
                "forward only, eval mode (for the split)", "forward + backward + gradient copy",
                "optimizer step (driver, " + config.optimizer().type() + ")", "one training step (all but the forward-only row)"};
        double cores = (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - wall0);
        System.out.printf("%s: %,d parameters, batch %d, %d ND4J thread(s), medians of %d steps; the process used "
                        + "%.2f cores while they ran%n",
                spec.type(), replica.numParams(), config.train().batchSize(), threads, steps, cores);
        double step = median(ms[5]);
        for (int p = 0; p < names.length; p++) {
            double m = median(ms[p]);
            System.out.printf("  %-48s %8.3f ms  %5.1f%%%n", names[p], m, 100 * m / step);
        }
        System.out.printf("  => %.0f samples/s per replica%n", config.train().batchSize() / step * 1e3);

        // the same steps with every native op timed (slower: the shares are what counts)
        OpProfiler.getInstance().reset();
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkElapsedTime(true).build());
        for (int i = 0; i < Math.min(steps, 100); i++) {
            DataSet batch = shard.batch(plan.batch(order, i % plan.stepsPerEpoch()), classes, params.dataType());
            replica.setParams(params);
            GradientSum g = replica.gradientSum(batch);
            optimizer.step(params, g.gradient().divi(g.count()));
        }
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());
        System.out.println("native ops by time (ND4J op profiler, " + Math.min(steps, 100) + " steps):");
        System.out.println(OpProfiler.getInstance().getLongAggergator().asPercentageString());
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
