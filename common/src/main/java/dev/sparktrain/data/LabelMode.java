package dev.sparktrain.data;

import java.util.Locale;

/** How class labels are collated: one-hot rows of {@code classes} values, or one column holding the index. */
public enum LabelMode {
    ONE_HOT, INDEX;

    /** From the config spelling {@code one-hot} / {@code index}. */
    public static LabelMode parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
