package dev.sparktrain.job.cli;

import dev.sparktrain.run.Failure;

import dev.sparktrain.model.NativeBackend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of the job jar (spark-submit, or {@code scripts/train.sh} with an embedded local Spark). */
@Command(name = "sparktrain", mixinStandardHelpOptions = true, version = "sparktrain 0.1.0",
        description = "PyTorch-style training of DL4J models on Spark.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, SummaryCommand.class,
                PlotCommand.class, InspectCommand.class, OutcomeCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "On failure, print the stack trace too (the error line stays last); log sparktrain at DEBUG.")
    void debug(boolean on) {
        debug = on;
        if (on) {
            Logging.debug();
        }
    }

    private static boolean debug;

    /**
     * Runs the command line and returns the exit code: 0 ok or nothing to do, 1 failed run, 2 bad usage or
     * config, 3 trained but not promoted, 4 the experiment is locked by another run. A failure ends with
     * one line ("error: ...", "config error: ...", "locked: ...") and no stack trace unless --debug.
     */
    public static int run(String... args) {
        return run(new java.io.PrintWriter(System.err, true), args);
    }

    /** As {@link #run(String...)}, with error messages going to {@code err}. */
    public static int run(java.io.PrintWriter err, String... args) {
        debug = false;
        if (System.getProperty("java.awt.headless") == null) { // charts are drawn into images: no display needed
            System.setProperty("java.awt.headless", "true");
        }
        NativeBackend.configure();
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(err);
        OutcomeFile outcome = OutcomeFile.fromArgs(args);
        ((TrainCommand) cli.getSubcommands().get("train").getCommand()).outcomeFile = outcome;
        CommandLine.IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
        cli.setParameterExceptionHandler((ex, rest) -> {
            int code = usage.handleParseException(ex, rest);
            if (outcome != null) {
                outcome.failure(new Failure("usage error: " + ex.getMessage(), code));
            }
            return code;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Failure failure = Failure.of(ex);
            if (debug) {
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().println(failure.line());
            cmd.getErr().flush();
            if (outcome != null) {
                outcome.failure(failure);
            }
            return failure.exitCode();
        });
        return cli.execute(args);
    }
}
