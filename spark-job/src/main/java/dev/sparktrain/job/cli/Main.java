package dev.sparktrain.job.cli;

import dev.sparktrain.checkpoint.CheckpointException;
import dev.sparktrain.config.ConfigException;
import dev.sparktrain.data.DataException;
import dev.sparktrain.model.NativeBackend;
import dev.sparktrain.train.DivergenceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the job jar (spark-submit, or {@code scripts/train.sh} with an embedded local Spark). */
@Command(name = "sparktrain", mixinStandardHelpOptions = true, version = "sparktrain 0.1.0",
        description = "PyTorch-style training of DL4J models on Spark.",
        subcommands = {TrainCommand.class, SummaryCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code: 0 ok, 1 failed run, 2 bad usage or config. */
    public static int run(String... args) {
        return run(new java.io.PrintWriter(System.err, true), args);
    }

    /** As {@link #run(String...)}, with error messages going to {@code err}. */
    public static int run(java.io.PrintWriter err, String... args) {
        NativeBackend.configure();
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof ConfigException) {
                cmd.getErr().println("config error: " + ex.getMessage());
                return 2;
            }
            if (ex instanceof DataException || ex instanceof CheckpointException
                    || ex instanceof DivergenceException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cli.execute(args);
    }
}
