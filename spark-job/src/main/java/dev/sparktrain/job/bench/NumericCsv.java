package dev.sparktrain.job.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The memory benchmark's numeric table: N rows of 3 x 32 x 32 = 3,072 features in [0, 1) with two
 * decimals, then the label (10 classes, row i has class i mod 10): channel c of class k is bright
 * (0.70 to 0.99) in the columns x with x / 3 = k, dim (0.00 to 0.29) elsewhere, the draws seeded by N.
 */
final class NumericCsv {
    static final int FEATURES = 3 * 32 * 32;

    private NumericCsv() {
    }

    static void write(Path file, int n) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        SplittableRandom rng = new SplittableRandom(n);
        char[] line = new char[FEATURES * 5 + 4];
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            for (int i = 0; i < n; i++) {
                int label = i % 10;
                int p = 0;
                for (int k = 0; k < FEATURES; k++) {
                    int x = k % 32;
                    int v = (x / 3 == label ? 70 : 0) + rng.nextInt(30);
                    line[p++] = '0';
                    line[p++] = '.';
                    line[p++] = (char) ('0' + v / 10);
                    line[p++] = (char) ('0' + v % 10);
                    line[p++] = ',';
                }
                line[p++] = (char) ('0' + label);
                line[p++] = '\n';
                out.write(line, 0, p);
            }
        }
    }
}
