package dev.sparktrain.optim.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers, milestones)} as in PyTorch 1.13:
 * scheduler {@code i} drives epochs {@code [milestones[i-1], milestones[i])}. Reproduced quirks:
 * <ul>
 *   <li>the constructor resets every group's lr to its {@code initial_lr} (the first scheduler's, since
 *       later ones only setdefault it), moves every child's last_epoch back by one and re-runs the
 *       first child's initial step;</li>
 *   <li>at a milestone the next child is stepped with {@code step(0)}: last_epoch 0 and its closed
 *       form ({@code base_lr}-based), not its recursive form.</li>
 * </ul>
 * The children must be built on the same target, before this (as in PyTorch); ReduceLROnPlateau and
 * SequentialLR cannot be children. Its state holds {@code _milestones}, {@code last_epoch},
 * {@code _last_lr} and the children's states under {@code _schedulers}.
 */
public final class SequentialLR implements LrScheduler {
    private final ScheduleTarget target;
    private final List<AbstractLrScheduler> schedulers;
    private int[] milestones;
    private int lastEpoch;
    private double[] lastLr;

    public SequentialLR(ScheduleTarget target, List<? extends LrScheduler> schedulers, int[] milestones) {
        this.target = java.util.Objects.requireNonNull(target, "target");
        this.schedulers = new ArrayList<>();
        for (int i = 0; i < schedulers.size(); i++) {
            LrScheduler s = schedulers.get(i);
            if (!(s instanceof AbstractLrScheduler)) {
                throw new IllegalArgumentException("SequentialLR cannot sequence a "
                        + (s == null ? "null" : s.getClass().getSimpleName()) + " (scheduler at index " + i + ")");
            }
            if (((AbstractLrScheduler) s).target != target) {
                throw new IllegalArgumentException("Sequential Schedulers expects all schedulers to belong to the "
                        + "same optimizer, but got schedulers at index " + i
                        + " to be different than the optimizer passed in.");
            }
            this.schedulers.add((AbstractLrScheduler) s);
        }
        if (milestones.length != schedulers.size() - 1) {
            throw new IllegalArgumentException("Sequential Schedulers expects number of schedulers provided to be "
                    + "one more than the number of milestone points, but got number of schedulers "
                    + schedulers.size() + " and the number of milestones to be equal to " + milestones.length);
        }
        this.milestones = milestones.clone();
        this.lastEpoch = 0;
        GroupParams groups = GroupParams.of(target);
        for (int i = 0; i < target.groupCount(); i++) {
            target.setLr(i, groups.get(i, "initial_lr"));
        }
        for (AbstractLrScheduler s : this.schedulers) {
            s.lastEpoch -= 1;
        }
        AbstractLrScheduler first = this.schedulers.get(0);
        first.initialStep();
        lastLr = first.lastLr();
    }

    @Override
    public void step() {
        lastEpoch += 1;
        int idx = Py.bisectRight(milestones, lastEpoch);
        AbstractLrScheduler scheduler = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == lastEpoch) {
            scheduler.stepTo(0);
        } else {
            scheduler.step();
        }
        lastLr = scheduler.lastLr();
    }

    @Override
    public double[] lastLr() {
        return lastLr.clone();
    }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("_milestones", StateReader.toList(milestones));
        out.put("last_epoch", lastEpoch);
        out.put("_last_lr", StateReader.toList(lastLr));
        List<Object> children = new ArrayList<>();
        for (AbstractLrScheduler s : schedulers) {
            children.add(s.stateDict());
        }
        out.put("_schedulers", children);
        return out;
    }

    /** Checks the whole state, children included, before loading anything. */
    @Override
    public void loadStateDict(Map<String, Object> state) {
        StateReader in = new StateReader(state, "SequentialLR");
        in.checkGroups(target.groupCount(), "_last_lr");
        int[] ms = in.getInts("_milestones", milestones);
        int epoch = in.getInt("last_epoch", lastEpoch);
        double[] last = in.getDoubles("_last_lr", lastLr);
        List<Runnable> loads = new ArrayList<>();
        if (in.has("_schedulers")) {
            List<Map<String, Object>> children = in.getMaps("_schedulers");
            if (children.size() != schedulers.size()) {
                throw new IllegalArgumentException("SequentialLR state has " + children.size()
                        + " schedulers but this SequentialLR has " + schedulers.size());
            }
            for (int i = 0; i < children.size(); i++) {
                loads.add(schedulers.get(i).prepareLoad(children.get(i)));
            }
        }
        milestones = ms;
        lastEpoch = epoch;
        lastLr = last;
        loads.forEach(Runnable::run);
    }
}
