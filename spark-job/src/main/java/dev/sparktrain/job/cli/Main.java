package dev.sparktrain.job.cli;

import dev.sparktrain.experiment.Attempt;
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

    public static void main(String[] args) throws Exception {
        int code = run(args);
        if (Attempt.current().isPresent()) {
            yarnApplicationMaster(code);
            return;
        }
        System.exit(code);
    }

    /**
     * In YARN cluster deploy mode this main runs in a thread of Spark's application master, which
     * reports the application's final status from how it returns, not from an exit code (a
     * System.exit there is reported as FAILED whatever the code, and retried). A run that ended as the
     * job decided (0; 3, a model not promoted) ends the application SUCCEEDED; any other code ends it
     * FAILED with that code ("User application exited with status N"), and YARN starts another attempt
     * while spark.yarn.maxAppAttempts allows (a failed run resumes in it). The launcher reads the code
     * itself from the outcome file (train --outcome).
     */
    private static void yarnApplicationMaster(int code) throws Exception {
        if (code != 0 && code != 3) {
            throw userAppException(code);
        }
    }

    /** Spark's SparkUserAppException(code): (int) in Spark 3.5, (int, Throwable) in Spark 4.2. */
    private static Exception userAppException(int code) {
        try {
            for (var c : Class.forName("org.apache.spark.SparkUserAppException").getConstructors()) {
                Class<?>[] types = c.getParameterTypes();
                if (types.length >= 1 && types.length <= 2 && types[0] == int.class) {
                    return (Exception) c.newInstance(types.length == 1 ? new Object[]{code} : new Object[]{code, null});
                }
            }
        } catch (ReflectiveOperationException | ClassCastException e) {
            // not this Spark's: the application ends FAILED all the same
        }
        return new IllegalStateException("the job exited with code " + code);
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
