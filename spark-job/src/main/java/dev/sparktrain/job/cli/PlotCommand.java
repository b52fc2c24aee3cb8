package dev.sparktrain.job.cli;

import dev.sparktrain.chart.Curve;
import dev.sparktrain.chart.LearningCurves;
import dev.sparktrain.config.ConfigException;
import dev.sparktrain.job.predict.Predictions;
import dev.sparktrain.run.RunDirectory;
import dev.sparktrain.train.EpochMetrics;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code plot}: the learning curves of runs overlaid in one PNG, from each run directory's metrics.jsonl,
 * drawn as a run's own curves.png is (see {@link LearningCurves}); the legend names each run by its id.
 */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Draw the learning curves of runs overlaid in one PNG (" + LearningCurves.WIDTH + "x"
                + LearningCurves.HEIGHT + "): train and val loss, the val metric, each param group's lr and "
                + "samples/s against the epoch, one color per run, from each run directory's metrics.jsonl.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "1:failed (I/O)",
                "2:bad usage (a RUN_DIR that is not a run directory, runs without any epoch, an --out that exists)"})
public final class PlotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR",
            description = "run directories (<output.dir>/runs/<run-id>, any Hadoop URI)")
    List<String> runDirs;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "the picture (any Hadoop URI)")
    String out;

    @Option(names = "--overwrite", description = "replace --out if it exists")
    boolean overwrite;

    @Override
    public Integer call() {
        Configuration hadoop = HadoopSettings.fromSparkConf();
        Predictions.checkOutput(out, overwrite, hadoop);
        try {
            List<Curve> curves = curves(hadoop);
            write(curves, hadoop);
            int epochs = curves.stream().mapToInt(c -> c.epochs().size()).sum();
            System.out.printf("wrote the learning curves of %d run%s (%d epochs) to %s%n", curves.size(),
                    curves.size() == 1 ? "" : "s", epochs, out);
            return 0;
        } catch (UncheckedIOException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 1;
        }
    }

    /** Each run's epochs, named by its run id (with its experiment's name where two runs share an id). */
    private List<Curve> curves(Configuration hadoop) {
        List<Curve> curves = new ArrayList<>();
        List<String> ids = runDirs.stream().map(d -> new Path(d).getName()).toList();
        for (int i = 0; i < runDirs.size(); i++) {
            String dir = runDirs.get(i);
            List<EpochMetrics> epochs = RunDirectory.readMetrics(dir, hadoop).orElseThrow(() -> new ConfigException(
                    "RUN_DIR " + dir + " is not a run directory: it has no " + RunDirectory.METRICS));
            String id = ids.get(i);
            boolean shared = ids.indexOf(id) != ids.lastIndexOf(id);
            String name = shared ? experimentOf(dir) + "/" + id : id;
            if (curves.stream().anyMatch(c -> c.name().equals(name))) {
                throw new ConfigException("RUN_DIR " + dir + " is given twice");
            }
            curves.add(new Curve(name, epochs));
        }
        if (curves.stream().allMatch(c -> c.epochs().isEmpty())) {
            throw new ConfigException("nothing to plot: no epoch has ended yet in " + String.join(", ", runDirs));
        }
        return curves;
    }

    /** The experiment directory's name of a run directory {@code <output.dir>/runs/<run-id>}. */
    private static String experimentOf(String runDir) {
        Path runs = new Path(runDir).getParent();
        return runs == null || runs.getParent() == null ? runDir : runs.getParent().getName();
    }

    /** Writes the picture under a temporary name beside --out, then renames it into place. */
    private void write(List<Curve> curves, Configuration hadoop) {
        try {
            Path target = new Path(out);
            FileSystem fs = target.getFileSystem(hadoop);
            target = fs.makeQualified(target);
            Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
            String title = (curves.size() == 1 ? "run " : "runs ")
                    + String.join(", ", curves.stream().map(Curve::name).toList());
            try {
                try (FSDataOutputStream o = fs.create(tmp, false)) {
                    LearningCurves.writePng(title, curves, o);
                }
                fs.delete(target, false); // --overwrite, or checked absent
                if (!fs.rename(tmp, target)) {
                    throw new IOException("rename " + tmp + " -> " + target + " failed");
                }
            } finally {
                fs.delete(tmp, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write --out " + out + ": " + e.getMessage(), e);
        }
    }
}
