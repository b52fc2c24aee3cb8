package dev.sparktrain.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An evaluation as a report: a JSON-ready map (loss, accuracy, per-class precision/recall/F1 and
 * support, macro and support-weighted averages, the confusion matrix; or MSE, MAE and R²) and the
 * same as text for a console.
 */
public final class EvaluationReport {
    private EvaluationReport() {
    }

    /** Unweighted mean of the classes' precision, recall and F1, and their total support. */
    public static ClassMetrics macro(List<ClassMetrics> classes) {
        return average(classes, false);
    }

    /** The classes' precision, recall and F1 weighted by support, and their total support. */
    public static ClassMetrics weighted(List<ClassMetrics> classes) {
        return average(classes, true);
    }

    private static ClassMetrics average(List<ClassMetrics> classes, boolean bySupport) {
        double p = 0;
        double r = 0;
        double f = 0;
        double w = 0;
        long support = 0;
        for (ClassMetrics c : classes) {
            double weight = bySupport ? c.support() : 1;
            p += weight * c.precision();
            r += weight * c.recall();
            f += weight * c.f1();
            w += weight;
            support += c.support();
        }
        return w == 0 ? new ClassMetrics(-1, 0, 0, 0, support) : new ClassMetrics(-1, p / w, r / w, f / w, support);
    }

    /** The report as ordered JSON fields (snake_case), NaN figures left out. */
    public static Map<String, Object> json(Evaluation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", e.kind() == null ? "none" : e.kind().text());
        m.put("examples", e.count());
        put(m, "loss", e.meanLoss());
        if (e.kind() == TargetKind.REGRESSION) {
            put(m, "mse", e.mse());
            put(m, "mae", e.mae());
            put(m, "r2", e.r2());
            return m;
        }
        if (e.kind() == null || !e.kind().classification()) {
            return m;
        }
        put(m, "accuracy", e.accuracy());
        put(m, "exact_match", e.exactMatch());
        List<ClassMetrics> classes = e.perClass();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ClassMetrics c : classes) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(e.kind() == TargetKind.MULTILABEL ? "label" : "class", c.label());
            row.putAll(figures(c));
            rows.add(row);
        }
        m.put(e.kind() == TargetKind.MULTILABEL ? "per_label" : "per_class", rows);
        m.put("macro_avg", figures(macro(classes)));
        m.put("weighted_avg", figures(weighted(classes)));
        m.put(e.kind() == TargetKind.MULTILABEL ? "label_counts_tp_fp_fn_tn" : "confusion_matrix", e.confusion());
        return m;
    }

    private static Map<String, Object> figures(ClassMetrics c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("precision", c.precision());
        m.put("recall", c.recall());
        m.put("f1", c.f1());
        m.put("support", c.support());
        return m;
    }

    private static void put(Map<String, Object> m, String key, double v) {
        if (!Double.isNaN(v)) {
            m.put(key, v);
        }
    }

    /** The report as console text: the headline figures, then a per-class table and the confusion matrix. */
    public static String text(Evaluation e) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s target, %,d examples  loss %.4f", e.kind() == null ? "no"
                : e.kind().text(), e.count(), e.meanLoss()));
        if (e.kind() == TargetKind.REGRESSION) {
            return s.append(String.format(Locale.ROOT, "  mse %.4f  mae %.4f  r2 %.4f%n", e.mse(), e.mae(), e.r2()))
                    .toString();
        }
        if (e.kind() == null || !e.kind().classification()) {
            return s.append('\n').toString();
        }
        s.append(String.format(Locale.ROOT, "  accuracy %.4f", e.accuracy()));
        if (e.kind() == TargetKind.MULTILABEL) {
            s.append(String.format(Locale.ROOT, "  exact match %.4f", e.exactMatch()));
        }
        s.append(String.format(Locale.ROOT, "%n%n%12s %9s %9s %9s %9s%n",
                e.kind() == TargetKind.MULTILABEL ? "label" : "class", "precision", "recall", "f1", "support"));
        List<ClassMetrics> classes = e.perClass();
        for (ClassMetrics c : classes) {
            s.append(row(String.valueOf(c.label()), c));
        }
        s.append(row("macro avg", macro(classes))).append(row("weighted avg", weighted(classes)));
        if (e.kind() != TargetKind.MULTILABEL) {
            s.append(String.format(Locale.ROOT, "%nconfusion matrix (rows: actual class, columns: predicted)%n"));
            for (long[] r : e.confusion()) {
                for (long v : r) {
                    s.append(String.format(Locale.ROOT, "%8d", v));
                }
                s.append('\n');
            }
        }
        return s.toString();
    }

    private static String row(String name, ClassMetrics c) {
        return String.format(Locale.ROOT, "%12s %9.4f %9.4f %9.4f %9d%n", name, c.precision(), c.recall(), c.f1(),
                c.support());
    }
}
