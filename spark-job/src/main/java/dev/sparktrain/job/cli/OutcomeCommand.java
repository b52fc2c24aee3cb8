package dev.sparktrain.job.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/**
 * {@code outcome URI}: what {@code train --outcome URI} wrote, as the launcher's own ending: its line
 * printed, its exit code returned (what {@code scripts/submit.sh} does after a cluster-mode run).
 */
@Command(name = "outcome", mixinStandardHelpOptions = true,
        description = {"Print how a `train --outcome URI` command ended and exit with its exit code: how a launcher "
                + "gets the outcome of a driver that ran on another host (YARN or standalone cluster deploy mode)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0-4:the train command's own exit code (see train --help)",
            "1:also when URI holds no outcome (the driver was killed before it could write one)"})
public final class OutcomeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "URI", description = "where train --outcome wrote it (any Hadoop file system)")
    String uri;

    @Override
    public Integer call() {
        OutcomeFile.Outcome o = OutcomeFile.read(uri);
        System.out.println(o.line());
        return o.exitCode();
    }
}
