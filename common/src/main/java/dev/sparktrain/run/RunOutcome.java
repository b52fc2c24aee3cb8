package dev.sparktrain.run;

/** How an invocation ended, and the exit code the command line gives it (see the README). */
public enum RunOutcome {
    /** Trained and promoted to production (or the first model): exit 0. */
    PROMOTED(0),
    /** Trained, but not better than the production model by promote.min-delta: exit 3. */
    NOT_PROMOTED(3),
    /** The run id had already succeeded: nothing done, exit 0. */
    ALREADY_SUCCEEDED(0),
    /** The run id had already finished without promotion: nothing done, exit 3 as before. */
    ALREADY_NOT_PROMOTED(3),
    /** --skip-if-unchanged: a finished run already saw this data and config; nothing done, exit 0. */
    UNCHANGED(0);

    private final int exitCode;

    RunOutcome(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** Whether this invocation trained. */
    public boolean trained() {
        return this == PROMOTED || this == NOT_PROMOTED;
    }
}
