package dev.sparktrain.experiment;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster manager's attempt this driver runs in, where the cluster manager retries a driver that
 * died: on YARN in cluster deploy mode, the application ({@code application_<cluster>_<n>}, the same in
 * every attempt) and the attempt's number (1, 2, ... up to {@code spark.yarn.maxAppAttempts}).
 * A later attempt continues the run an earlier one started (the run records its application) and takes
 * over the earlier attempt's lease at once: YARN starts an attempt only after the previous one's
 * application master has ended.
 */
public record Attempt(String application, int number) {
    /** A YARN container id: container_[e<epoch>_]<cluster timestamp>_<application>_<attempt>_<container>. */
    private static final Pattern CONTAINER = Pattern.compile("container_(?:e\\d+_)?(\\d+)_(\\d+)_(\\d+)_\\d+");

    /** This driver's attempt: present only in a YARN application master (cluster deploy mode). */
    public static Optional<Attempt> current() {
        return of(System.getProperty("spark.yarn.app.id"), System.getenv("CONTAINER_ID"));
    }

    /** From the application id Spark's application master sets and the container id YARN sets. */
    static Optional<Attempt> of(String application, String containerId) {
        if (application == null || application.isBlank() || containerId == null) {
            return Optional.empty();
        }
        Matcher m = CONTAINER.matcher(containerId);
        if (!m.matches() || !application.equals("application_" + m.group(1) + "_" + m.group(2))) {
            return Optional.empty();
        }
        return Optional.of(new Attempt(application, Integer.parseInt(m.group(3))));
    }

    /** True when this is a later attempt of the same application as {@code earlier}. */
    public boolean follows(Attempt earlier) {
        return earlier != null && application.equals(earlier.application()) && number > earlier.number();
    }

    @Override
    public String toString() {
        return "attempt " + number + " of " + application;
    }
}
