package dev.sparktrain.job.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain console table: a header and rows of cells, each column as wide as its widest cell, two spaces
 * apart; the columns named in {@code rightAligned} (figures) align right.
 */
final class TextTable {
    private final List<String> header;
    private final List<String> rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(List<String> header, String... rightAligned) {
        this.header = List.copyOf(header);
        this.rightAligned = Arrays.asList(rightAligned);
    }

    void add(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("a row of " + header.size() + " columns " + header + ", found "
                    + cells.size() + " cells " + cells);
        }
        rows.add(List.copyOf(cells));
    }

    String render() {
        int[] width = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int c = 0; c < width.length; c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < width.length; c++) {
                String cell = row.get(c);
                String pad = " ".repeat(width[c] - cell.length());
                line.append(c == 0 ? "" : "  ").append(rightAligned.contains(header.get(c)) ? pad + cell : cell + pad);
            }
            s.append(line.toString().stripTrailing()).append('\n');
        }
        return s.toString();
    }
}
