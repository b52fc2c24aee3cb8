package dev.sparktrain.optim.schedule;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The entries PyTorch's schedulers keep in {@code optimizer.param_groups} beside lr and momentum:
 * {@code initial_lr} (set with setdefault by every scheduler, so a second scheduler on the same
 * optimizer, e.g. inside SequentialLR, reuses the first one's) and OneCycleLR's {@code max_lr},
 * {@code min_lr}, {@code max_momentum}, {@code base_momentum}. {@link ScheduleTarget} has no room for
 * them, so they are kept here per target object (by identity, weakly: a target that is no longer used
 * takes its entries with it).
 */
final class GroupParams {
    private static final Map<Key, GroupParams> REGISTRY = new HashMap<>();
    private static final ReferenceQueue<ScheduleTarget> QUEUE = new ReferenceQueue<>();

    private final List<Map<String, Double>> groups = new ArrayList<>();

    private GroupParams() {
    }

    /** The entries of this target's groups, shared by every scheduler built on the same object. */
    static GroupParams of(ScheduleTarget target) {
        synchronized (REGISTRY) {
            for (Reference<?> gone; (gone = QUEUE.poll()) != null; ) {
                REGISTRY.remove(gone);
            }
            return REGISTRY.computeIfAbsent(new Key(target, QUEUE), k -> new GroupParams());
        }
    }

    private Map<String, Double> group(int group) {
        while (groups.size() <= group) {
            groups.add(new HashMap<>());
        }
        return groups.get(group);
    }

    /** {@code param_groups[group][key] = value}. */
    synchronized void put(int group, String key, double value) {
        group(group).put(key, value);
    }

    /** {@code param_groups[group].setdefault(key, value)}: the stored value if there is one. */
    synchronized double setDefault(int group, String key, double value) {
        return group(group).computeIfAbsent(key, k -> value);
    }

    /** {@code param_groups[group][key]}; PyTorch's KeyError becomes an IllegalStateException. */
    synchronized double get(int group, String key) {
        Double value = group(group).get(key);
        if (value == null) {
            throw new IllegalStateException("param group " + group + " has no '" + key + "'");
        }
        return value;
    }

    /** A weak reference compared by the identity of its target. */
    private static final class Key extends WeakReference<ScheduleTarget> {
        private final int hash;

        Key(ScheduleTarget target, ReferenceQueue<ScheduleTarget> queue) {
            super(target, queue);
            this.hash = System.identityHashCode(target);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof Key)) {
                return false;
            }
            Object mine = get();
            return mine != null && mine == ((Key) o).get();
        }
    }
}
