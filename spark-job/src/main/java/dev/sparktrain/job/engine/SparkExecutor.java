package dev.sparktrain.job.engine;

import dev.sparktrain.config.JobConfig;
import dev.sparktrain.data.BatchPlan;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.shards.ShardLayout;
import dev.sparktrain.eval.Evaluation;
import dev.sparktrain.job.data.SparkData;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.train.RoundRequest;
import dev.sparktrain.train.RoundResult;
import dev.sparktrain.train.StateOwner;
import dev.sparktrain.train.StepExecutor;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs rounds as Spark jobs over P cached shards. See the package documentation. */
public final class SparkExecutor implements StepExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(SparkExecutor.class);
    private final JavaSparkContext sc;
    private final SparkData.Loaded data;
    private final JavaRDD<Dataset> train;
    private final JavaRDD<Dataset> val;
    private final BatchPlan plan;
    private final ModelSpec spec;
    private final int classes;
    private final int threads;
    private final TaskDevice device;
    private final int numWorkers;
    private final int treeDepth;
    private final boolean ordered;
    private final boolean residentRequired;
    private final ShardRounds work;
    private final CollectiveRounds collective;
    private ResidentRounds resident;

    /** Loads the configured data into shards on the executors (see {@link SparkData}). */
    public SparkExecutor(JavaSparkContext sc, JobConfig config, ModelSpec spec) {
        this(sc, config, spec, SparkData.load(sc, config.data(), config.train().seed(), config.train().workers()));
    }

    /** Over shards already loaded. */
    public SparkExecutor(JavaSparkContext sc, JobConfig config, ModelSpec spec, SparkData.Loaded data) {
        this.sc = sc;
        this.spec = spec;
        this.classes = config.data().classes();
        this.numWorkers = config.data().numWorkers();
        int workers = config.train().workers();
        this.threads = ThreadBudget.threadsPerTask(config.train().threadsPerWorker(), sc.master(), workers,
                sc.getConf().getInt("spark.task.cpus", 1));
        this.data = data;
        this.train = data.train();
        this.val = data.val();
        ShardLayout layout = new ShardLayout(config.train().seed(), config.data().valFraction(), workers);
        BatchPlan plan;
        try {
            plan = layout.plan(data.trainSizes(), config.train().batchSize(), config.data().dropLast());
        } catch (RuntimeException e) {
            data.unpersist();
            throw e;
        }
        this.plan = plan;
        this.treeDepth = workers > 16 ? 3 : 2;
        this.ordered = config.train().orderedAggregation();
        ThreadBudget.apply(threads); // the driver's own optimizer step, in this JVM
        ThreadBudget.checkWaitPolicy(sc.master(), workers);
        TaskDevice device;
        try {
            device = Devices.choose(config.device(), sc, workers, threads);
        } catch (RuntimeException e) {
            data.unpersist();
            throw e;
        }
        this.device = device;
        this.work = new ShardRounds(plan, spec, classes, device, numWorkers);
        this.residentRequired = config.train().rounds().equals("resident");
        Transport.Choice transport;
        try {
            transport = Transport.choose(config.train(), sc, () -> ReplicaPool.withReplica(spec, r -> r.numParams()));
        } catch (RuntimeException e) {
            data.unpersist();
            throw e;
        }
        LOG.info("{}", transport.why());
        this.collective = transport.collective() ? collectiveRounds(config, workers) : null;
        this.resident = collective != null ? null
                : residentRounds(config.train().rounds(), config.train().roundsPort(), workers);
        LOG.info("{} training and {} validation examples in {} shards cached on the executors (training shards "
                        + "of {} to {} examples); {} steps per epoch, {}", data.trainSize(),
                data.valSize(), workers, java.util.Arrays.stream(data.trainSizes()).min().orElse(0),
                plan.samplesPerShard(), plan.stepsPerEpoch(), device.gpu() ? "a GPU per task" : threads + " ND4J threads per task");
    }

    @Override
    public int stepsPerEpoch() {
        return plan.stepsPerEpoch();
    }

    @Override
    public java.util.Optional<StateOwner> stateOwner() {
        return java.util.Optional.ofNullable(collective);
    }

    @Override
    public RoundResult round(RoundRequest request) {
        if (collective != null) {
            throw new IllegalStateException("the collective transport keeps the state on the executors: rounds "
                    + "are sent through stateOwner()");
        }
        if (resident != null) {
            try {
                return resident.round(request);
            } catch (ResidentRounds.Unavailable e) {
                resident.close();
                resident = null;
                if (residentRequired) {
                    throw new IllegalStateException("train.rounds = resident: " + e.getMessage(), e);
                }
                LOG.warn("resident rounds: {}; going on with one Spark job per round", e.getMessage());
            }
        }
        return roundAsJob(request);
    }

    /** True while rounds go through resident tasks (see {@link ResidentRounds}). */
    public boolean residentRounds() {
        return resident != null;
    }

    private RoundResult roundAsJob(RoundRequest request) {
        // a call site of our own spares Spark a stack walk per job (and names the job in its UI)
        sc.setCallSite("sparktrain round: epoch " + (request.epoch() + 1) + " step " + request.firstStep());
        Broadcast<RawMessage> bc = sc.broadcast(RawMessage.of(request));
        try {
            return new RoundTask(bc, work).run(sc, train, RoundResult.zero(), RoundResult::plus, ordered, treeDepth,
                    resultBytes(request), RoundResult.class);
        } finally {
            bc.destroy();
            sc.clearCallSite();
        }
    }

    /** About what one task returns: the gradient, or (averaging) the delta and the optimizer state's moments. */
    private static long resultBytes(RoundRequest request) {
        long params = request.params().length() * request.params().dataType().width();
        return request instanceof RoundRequest.Averaging ? 3 * params : params;
    }

    @Override
    public Evaluation evaluate(INDArray params) {
        if (collective != null) {
            return collective.evaluate(params);
        }
        if (resident != null) {
            resident.stop(); // its tasks hold the task slots evaluation needs
        }
        Broadcast<INDArray> bc = sc.broadcast(params);
        try {
            return new EvalTask(bc, spec, classes, device, numWorkers).run(sc, val, Evaluation.EMPTY, Evaluation::plus,
                    ordered, treeDepth, 0, Evaluation.class); // sums and counts: small
        } finally {
            bc.destroy();
        }
    }

    /** The collective transport's driver side, listening where resident rounds would. */
    private CollectiveRounds collectiveRounds(JobConfig config, int workers) {
        String advertised = sc.getConf().get("spark.driver.host", "localhost");
        String bind = sc.getConf().get("spark.driver.bindAddress", advertised);
        long stallMs = sc.getConf().getTimeAsMs("spark.network.timeout", "120s");
        int recoveries = Math.max(0, sc.getConf().getInt("spark.task.maxFailures",
                sc.master().startsWith("local") ? 1 : 4) - 1);
        if (sc.master().startsWith("local[") && sc.master().contains(",")) {
            recoveries = Math.max(0, Integer.parseInt(sc.master().replaceAll(".*,\\s*(\\d+)\\s*]$", "$1")) - 1);
        }
        try {
            return new CollectiveRounds(train, val, work, workers, config.train().synchronous(), recoveries,
                    config.train().collectiveTimeout().toMillis(), bind, advertised, config.train().roundsPort(),
                    Math.max(60_000, stallMs / 2), stallMs);
        } catch (java.io.IOException e) {
            data.unpersist();
            throw new IllegalStateException("train.transport = collective: cannot listen on " + bind + ":"
                    + config.train().roundsPort() + " for its tasks: " + e.getMessage(), e);
        }
    }

    /**
     * Resident rounds when {@code mode} says so: resident, or auto with at least as many task slots as
     * shards; null for one job per round.
     */
    private ResidentRounds residentRounds(String mode, int port, int workers) {
        if (mode.equals("jobs")) {
            return null;
        }
        if (!RoundsChannel.plainAllowed(mode, sc.getConf())) {
            LOG.info("Spark is asked to encrypt its traffic ({} = true): one Spark job per round, through Spark's "
                    + "own channels (train.rounds = auto)", RoundsChannel.encryptionAsked(sc.getConf()));
            return null;
        }
        int taskCpus = Math.max(1, sc.getConf().getInt("spark.task.cpus", 1));
        int slots = (sc.master().startsWith("local") ? ThreadBudget.localCores(sc.master()) : sc.defaultParallelism())
                / taskCpus;
        if (mode.equals("auto") && slots < workers) {
            LOG.info("{} shards and {} task slots: one Spark job per round (train.rounds = auto)", workers, slots);
            return null;
        }
        String advertised = sc.getConf().get("spark.driver.host", "localhost");
        String bind = sc.getConf().get("spark.driver.bindAddress", advertised);
        long stallMs = sc.getConf().getTimeAsMs("spark.network.timeout", "120s");
        try {
            return new ResidentRounds(workers, (host, p, secret) -> train.foreachPartitionAsync(
                    new ResidentTask(host, p, secret, work)),
                    bind, advertised, port, Math.max(60_000, stallMs / 2), stallMs);
        } catch (java.io.IOException e) {
            String why = "cannot listen on " + bind + ":" + port + " for resident tasks: " + e.getMessage();
            if (mode.equals("resident")) {
                throw new IllegalStateException("train.rounds = resident: " + why, e);
            }
            LOG.warn("{}; one Spark job per round", why);
            return null;
        }
    }

    @Override
    public void close() {
        if (collective != null) {
            collective.close();
        }
        if (resident != null) {
            resident.close();
        }
        data.unpersist();
    }
}
