package dev.sparktrain.data.format;

import dev.sparktrain.config.DataConfig;
import dev.sparktrain.data.DataException;

import java.util.ArrayList;
import java.util.List;

/** The feature and label column indices of a CSV layout, resolved against its header or width. */
record Columns(int[] features, int label) implements java.io.Serializable {

    static Columns resolve(String uri, DataConfig.Csv csv, List<String> header, int width) {
        int label = column(uri, csv.label(), header, width, "data.csv.label");
        List<Integer> features = new ArrayList<>();
        if (csv.features().isEmpty()) {
            for (int c = 0; c < width; c++) {
                if (c != label) {
                    features.add(c);
                }
            }
        } else {
            for (String f : csv.features()) {
                int c = column(uri, f, header, width, "data.csv.features");
                if (c == label) {
                    throw new DataException(uri + ": column '" + f + "' is both a feature and the label");
                }
                features.add(c);
            }
        }
        if (features.isEmpty()) {
            throw new DataException(uri + ": no feature columns (" + width + " columns, the label is column "
                    + (label + 1) + ")");
        }
        return new Columns(features.stream().mapToInt(Integer::intValue).toArray(), label);
    }

    private static int column(String uri, String name, List<String> header, int width, String key) {
        if (header != null && header.contains(name)) {
            return header.indexOf(name);
        }
        int c;
        try {
            c = Integer.parseInt(name.trim());
        } catch (NumberFormatException e) {
            throw new DataException(uri + ": no column '" + name + "' (" + key + ")"
                    + (header == null ? ": without a header (data.csv.header = false) columns are 0-based indices"
                    : " in the header " + header));
        }
        int resolved = c < 0 ? width + c : c;
        if (resolved < 0 || resolved >= width) {
            throw new DataException(uri + ": column " + c + " (" + key + ") outside the " + width + " columns");
        }
        return resolved;
    }
}
