package dev.sparktrain.job.cli;

import dev.sparktrain.checkpoint.CheckpointException;
import dev.sparktrain.config.ConfigException;
import dev.sparktrain.data.DataException;
import dev.sparktrain.experiment.ExperimentLockedException;
import dev.sparktrain.model.NativeBackend;
import dev.sparktrain.train.DivergenceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the job jar (spark-submit, or {@code scripts/train.sh} with an embedded local Spark). */
@Command(name = "sparktrain", mixinStandardHelpOptions = true, version = "sparktrain 0.1.0",
        description = "PyTorch-style training of DL4J models on Spark.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, SummaryCommand.class,
                PlotCommand.class, InspectCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns the exit code: 0 ok or nothing to do, 1 failed run, 2 bad usage or
     * config, 3 trained but not promoted, 4 the experiment is locked by another run.
     */
    public static int run(String... args) {
        return run(new java.io.PrintWriter(System.err, true), args);
    }

    /** The first exception of a kind the user can act on in {@code ex}'s cause chain, or null. */
    static Throwable known(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof ConfigException || t instanceof DataException || t instanceof CheckpointException
                    || t instanceof DivergenceException || t instanceof ExperimentLockedException) {
                return t;
            }
        }
        return null;
    }

    /** As {@link #run(String...)}, with error messages going to {@code err}. */
    public static int run(java.io.PrintWriter err, String... args) {
        if (System.getProperty("java.awt.headless") == null) { // charts are drawn into images: no display needed
            System.setProperty("java.awt.headless", "true");
        }
        NativeBackend.configure();
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable known = known(ex); // a Spark job failure carries the task's exception as its cause
            if (known instanceof ConfigException) {
                cmd.getErr().println("config error: " + known.getMessage());
                return 2;
            }
            if (known instanceof ExperimentLockedException) {
                cmd.getErr().println("locked: " + known.getMessage());
                return 4;
            }
            if (known != null) {
                cmd.getErr().println("error: " + known.getMessage());
                return 1;
            }
            throw ex;
        });
        return cli.execute(args);
    }
}
