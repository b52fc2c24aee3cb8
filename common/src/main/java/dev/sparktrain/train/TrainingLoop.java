package dev.sparktrain.train;

import dev.sparktrain.config.TrainConfig;
import dev.sparktrain.eval.Evaluation;
import dev.sparktrain.optim.GroupedOptimizer;
import dev.sparktrain.optim.OptimizerSpec.TimedGroup;
import dev.sparktrain.optim.StateDict;
import dev.sparktrain.optim.schedule.LrLookahead;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The driver loop. It only orders the steps: for each epoch, groups due to be added, then rounds of k
 * minibatches on every worker with the driver's optimizer (and per-step scheduler) stepping after each
 * round, validation, the per-epoch scheduler step, then the listeners (progress, metrics, checkpoints,
 * NaN guard, early stopping), one event object each; a listener may stop the run after the current
 * epoch ({@link TrainingControl}). See the package documentation for the two modes.
 */
public final class TrainingLoop {
    private final TrainConfig train;
    private final StepExecutor executor;
    private final GroupedOptimizer optimizer;
    private final Schedule schedule;
    private final List<TrainingListener> listeners;
    private final TrainingControl control = new TrainingControl();

    /** {@code schedule} may be null (constant lr). */
    public TrainingLoop(TrainConfig train, StepExecutor executor, GroupedOptimizer optimizer, Schedule schedule,
                        List<TrainingListener> listeners) {
        this.train = train;
        this.executor = executor;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Trains from {@code start} (fresh, or loaded from a checkpoint: at an epoch's end or inside an
     * epoch) to {@code train.epochs}.
     */
    public TrainingSnapshot run(TrainingSnapshot start) {
        StateOwner owner = executor.stateOwner().orElse(null);
        INDArray params = owner == null ? start.params().dup() : null;
        EpochPosition resumeAt = start.position();
        // a mid-epoch state already has the groups its epoch added when it began
        int groupsUpTo = start.epochsDone() + (resumeAt != null ? 1 : 0);
        addGroups(g -> g.epoch() <= groupsUpTo);
        if (start.optimizerState() != null) {
            optimizer.loadStateDict(start.optimizerState());
        }
        if (schedule != null && !start.schedulerState().isEmpty()) {
            schedule.scheduler().loadStateDict(start.schedulerState());
        }
        if (owner != null) {
            // the workers keep the state; the driver's optimizer keeps only the groups and their hyper-parameters
            owner.load(start.params(), optimizer.spec(), optimizer.stateDict());
            optimizer.loadStateDict(new StateDict(optimizer.groupStates(), Map.of(), Map.of()));
        }
        long globalStep = start.globalStep();
        List<EpochMetrics> history = new ArrayList<>(start.history());
        TrainingSnapshot snapshot = start;
        for (int epoch = start.epochsDone(); epoch < train.epochs(); epoch++) {
            final int e = epoch;
            EpochPosition at = epoch == start.epochsDone() ? resumeAt : null;
            if (at == null) {
                addGroups(g -> g.epoch() == e + 1);
            }
            long t0 = System.nanoTime() - (at == null ? 0 : Math.round(at.trainSeconds() * 1e9));
            int steps = executor.stepsPerEpoch();
            if (at != null && (at.stepsDone() >= steps || at.stepsDone() % train.averagingFrequency() != 0)) {
                throw new IllegalStateException("the checkpoint is " + at.stepsDone() + " steps into epoch "
                        + (epoch + 1) + ", which is not the end of a round of this run (" + steps
                        + " steps per epoch, train.averaging-frequency " + train.averagingFrequency() + ")");
            }
            double lossSum = at == null ? 0 : at.lossSum();
            long count = at == null ? 0 : at.count();
            double[] lrs = optimizer.lrs();
            for (int first = at == null ? 0 : at.stepsDone(); first < steps; first += train.averagingFrequency()) {
                int k = Math.min(train.averagingFrequency(), steps - first);
                lrs = optimizer.lrs();
                RoundResult r;
                if (owner == null) {
                    r = executor.round(request(epoch, first, k, params));
                    applyRound(params, r, k);
                } else {
                    r = owner.round(control(epoch, first, k));
                    if (r.count() == 0) {
                        throw new IllegalStateException("a round returned no examples");
                    }
                    stepSchedule(k);
                }
                globalStep += k;
                lossSum += r.lossSum();
                count += r.count();
                int done = first + k;
                long stepNow = globalStep;
                double epochLoss = lossSum;
                long epochCount = count;
                EpochPosition position = new EpochPosition(done, epochLoss, epochCount, (System.nanoTime() - t0) / 1e9);
                DoubleSupplier paramsSum = owner == null ? () -> params.sumNumber().doubleValue()
                        : () -> ((RoundResult.Stepped) r).paramsSum();
                TrainingListener.RoundEvent event = new TrainingListener.RoundEvent(epoch, globalStep, k, done,
                        steps, r.lossSum(), r.count(), Arrays.stream(lrs).boxed().toList(), params, control,
                        () -> owner == null
                                ? new TrainingSnapshot(e, stepNow, params.dup(), optimizer.stateDict(), schedulerState(),
                                start.seed(), start.configJson(), history, position)
                                : new TrainingSnapshot(e, stepNow, owner.params(), owner.optimizerState(),
                                schedulerState(), start.seed(), start.configJson(), history, position), paramsSum);
                for (TrainingListener l : listeners) {
                    l.onRoundEnd(event);
                }
            }
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            Evaluation val = owner == null ? executor.evaluate(params) : owner.evaluate();
            if (schedule != null && !schedule.perStep()) {
                schedule.scheduler().step(val.meanLoss());
            }
            double epochSeconds = (System.nanoTime() - t0) / 1e9;
            EpochMetrics m = new EpochMetrics(epoch + 1, globalStep, lossSum / count, count, val.meanLoss(),
                    val.accuracy(), val.count(), count / trainSeconds, trainSeconds, epochSeconds,
                    Arrays.stream(lrs).boxed().toList(), val.headline());
            history.add(m);
            snapshot = new TrainingSnapshot(epoch + 1, globalStep, owner == null ? params.dup() : owner.params(),
                    owner == null ? optimizer.stateDict() : owner.optimizerState(), schedulerState(), start.seed(),
                    start.configJson(), history);
            TrainingListener.EpochEvent event = new TrainingListener.EpochEvent(m, snapshot, train.epochs(), control);
            for (TrainingListener l : listeners) {
                l.onEpochEnd(event);
            }
            if (control.stopRequested()) {
                break;
            }
        }
        TrainingListener.EndEvent end = new TrainingListener.EndEvent(snapshot, control.reason());
        for (TrainingListener l : listeners) {
            l.onTrainingEnd(end);
        }
        return snapshot;
    }

    /** Why a listener stopped the run before its last epoch, or null (after {@link #run}). */
    public String stopReason() {
        return control.reason();
    }

    private Map<String, Object> schedulerState() {
        return schedule == null ? Map.of() : schedule.scheduler().stateDict();
    }

    private void addGroups(java.util.function.Predicate<TimedGroup> due) {
        List<TimedGroup> added = optimizer.spec().addGroups();
        for (int i = 0; i < added.size(); i++) {
            if (due.test(added.get(i))) {
                optimizer.addParamGroup(added.get(i).group(), "optimizer.add-groups[" + i + "]");
            }
        }
    }

    private RoundRequest request(int epoch, int first, int k, INDArray params) {
        if (train.synchronous()) {
            return RoundRequest.synchronous(epoch, first, params);
        }
        double[][] lrs = null;
        double[][] momenta = null;
        if (schedule != null && schedule.perStep()) {
            LrLookahead.Values next = LrLookahead.next(k, schedule.target(), schedule.scheduler().stateDict(),
                    schedule.factory());
            lrs = next.lrs();
            momenta = next.momenta();
        }
        return new RoundRequest.Averaging(epoch, first, k, params, optimizer.spec(), optimizer.stateDict(), lrs, momenta);
    }

    /** The control of a round whose workers keep the state ({@link StateOwner}). */
    private RoundControl control(int epoch, int first, int k) {
        double[][] lrs = null;
        double[][] momenta = null;
        if (!train.synchronous() && schedule != null && schedule.perStep()) {
            LrLookahead.Values next = LrLookahead.next(k, schedule.target(), schedule.scheduler().stateDict(),
                    schedule.factory());
            lrs = next.lrs();
            momenta = next.momenta();
        }
        return new RoundControl(epoch, first, k, train.synchronous(), optimizer.groupStates(), lrs, momenta);
    }

    private void stepSchedule(int k) {
        if (schedule != null && schedule.perStep()) {
            for (int i = 0; i < k; i++) {
                schedule.scheduler().step();
            }
        }
    }

    private void applyRound(INDArray params, RoundResult r, int k) {
        if (r.count() == 0) {
            throw new IllegalStateException("a round returned no examples");
        }
        if (r instanceof RoundResult.Gradients g) {
            optimizer.step(params, g.sum().divi(g.count()));
        } else if (r instanceof RoundResult.Averages a) {
            // outer step: plain averaging of the replicas' parameters and inner optimizer states
            params.addi(a.deltaSum().divi(a.count()));
            // the workers' state, with the groups' hyper-parameters as the driver's scheduler left them:
            // the workers' last inner step ran with the lr of one scheduler step before the k steps below
            StateDict averaged = a.stateSum().times(1.0 / a.count());
            optimizer.loadStateDict(new StateDict(optimizer.groupStates(), averaged.steps(), averaged.buffers()));
        } else {
            throw new IllegalStateException("a round returned " + r);
        }
        stepSchedule(k);
    }
}
