package dev.sparktrain.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/** Where a run stands, as run.json writes it. */
public enum RunStatus {
    /**
     * Training, or killed while training without a chance to record it (SIGKILL, a lost host): started
     * again with its id, it resumes.
     */
    RUNNING,
    /** Trained and promoted (or no production model to compare with). */
    SUCCEEDED,
    /** Stopped by an error; started again with its id, it resumes from its last checkpoint. */
    FAILED,
    /** Trained, but not better than the production model by promote.min-delta. */
    NOT_PROMOTED,
    /** Stopped by a signal (SIGTERM from a scheduler's timeout, Ctrl-C); started again with its id, it resumes. */
    INTERRUPTED;

    @JsonValue
    public String text() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static RunStatus of(String text) {
        return Arrays.stream(values()).filter(s -> s.text().equals(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown run status '" + text + "'"));
    }

    /** Trained to its end: starting it again does nothing. */
    public boolean finished() {
        return this == SUCCEEDED || this == NOT_PROMOTED;
    }
}
