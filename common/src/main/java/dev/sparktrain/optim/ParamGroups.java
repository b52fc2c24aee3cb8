package dev.sparktrain.optim;

import dev.sparktrain.model.ParamLayout;
import dev.sparktrain.model.ParamLayout.Segment;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves declared groups against a network's parameters. Group order: the defaults group (every
 * parameter in no declared group and not frozen) first when it is not empty, then the declared
 * groups in order, then groups added at run time. A parameter in two groups, a group naming a layer
 * that does not exist, or a glob matching nothing is an error naming the group and the value.
 * Buffers (batch-norm running statistics) are in no group: they are not trained, whatever the
 * selection says, as in PyTorch where param groups hold parameters only.
 */
public final class ParamGroups {
    private ParamGroups() {
    }

    /** Parameter names selected by {@code spec}, in flat-vector order. */
    public static List<String> select(ParamLayout layout, GroupSpec spec, String what) {
        Set<String> names = new LinkedHashSet<>();
        for (String layer : spec.layers()) {
            if (!layout.layers().contains(layer)) {
                throw new IllegalArgumentException(what + " names layer '" + layer + "', which does not exist; "
                        + "layers with parameters: " + layout.layers());
            }
        }
        for (String glob : spec.params()) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            if (layout.trainable().stream().noneMatch(s -> m.matches(Path.of(s.name())))) {
                throw new IllegalArgumentException(what + " selects parameters '" + glob + "', which match none of "
                        + layout.trainable().stream().map(Segment::name).toList());
            }
        }
        for (Segment s : layout.trainable()) {
            boolean byLayer = spec.layers().contains(s.layer());
            boolean byGlob = spec.params().stream()
                    .anyMatch(g -> FileSystems.getDefault().getPathMatcher("glob:" + g).matches(Path.of(s.name())));
            if (byLayer || byGlob) {
                names.add(s.name());
            }
        }
        return List.copyOf(names);
    }

    /** Names matched by layer names or globs (for frozen lists). */
    public static List<String> selectAny(ParamLayout layout, List<String> layersOrGlobs, String what) {
        List<String> out = new ArrayList<>();
        for (String entry : layersOrGlobs) {
            GroupSpec g = layout.layers().contains(entry) ? new GroupSpec(List.of(entry), List.of(), Map.of())
                    : new GroupSpec(List.of(), List.of(entry), Map.of());
            select(layout, g, what).stream().filter(n -> !out.contains(n)).forEach(out::add);
        }
        return out;
    }

    /** The initial groups of {@code spec}: param names and hyper-parameters, in group order. */
    public static List<ResolvedGroup> resolve(ParamLayout layout, OptimizerSpec spec) {
        Map<String, String> owner = new LinkedHashMap<>();
        for (String name : selectAny(layout, spec.frozen(), "optimizer.frozen")) {
            owner.put(name, "optimizer.frozen");
        }
        List<ResolvedGroup> declared = new ArrayList<>();
        for (int i = 0; i < spec.groups().size(); i++) {
            String what = "optimizer.groups[" + i + "]";
            List<String> names = select(layout, spec.groups().get(i), what);
            claim(owner, names, what);
            declared.add(new ResolvedGroup(names, HyperParamsOverrides.apply(spec.algorithm(), spec.defaults(),
                    spec.groups().get(i).overrides(), what)));
        }
        List<String> rest = layout.trainable().stream().map(Segment::name).filter(n -> !owner.containsKey(n)).toList();
        List<ResolvedGroup> groups = new ArrayList<>();
        if (!rest.isEmpty()) {
            groups.add(new ResolvedGroup(rest, spec.defaults()));
        }
        groups.addAll(declared);
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("every parameter is frozen (optimizer.frozen): nothing to train");
        }
        return groups;
    }

    static void claim(Map<String, String> owner, List<String> names, String what) {
        for (String n : names) {
            String before = owner.putIfAbsent(n, what);
            if (before != null) {
                throw new IllegalArgumentException("parameter '" + n + "' is in " + before + " and in " + what
                        + "; a parameter can be in one group only");
            }
        }
    }

    /** A group after resolution: its parameter names (stable ids) and hyper-parameters. */
    public record ResolvedGroup(List<String> params, HyperParams hyper) implements java.io.Serializable {
        public ResolvedGroup {
            params = List.copyOf(params);
        }
    }
}
