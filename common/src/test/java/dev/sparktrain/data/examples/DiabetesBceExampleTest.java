package dev.sparktrain.data.examples;

import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.data.ConcatDataset;
import dev.sparktrain.data.Dataset;
import dev.sparktrain.data.HadoopConf;
import dev.sparktrain.data.shards.DataPreparation;
import dev.sparktrain.data.shards.PreparedData;
import dev.sparktrain.model.Replica;

import dev.sparktrain.run.TrainingRun;
import dev.sparktrain.train.TrainingSnapshot;
import dev.sparktrain.trainer.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Example: a table shaped like the classic Pima diabetes data (8 numeric features, a 0/1 outcome
 * column, header row) trained from the job config alone: data.format = csv with the outcome as a
 * value target (data.target = value), normalization computed from the training part, a seeded 20% validation split, an MLP
 * with one sigmoid output and BCE. The outcome is drawn from a fixed logistic rule over glucose, BMI,
 * pedigree, age and pregnancies, so the best possible accuracy is about 0.8.
 */
class DiabetesBceExampleTest {
    static final String[] COLUMNS = {"Pregnancies", "Glucose", "BloodPressure", "SkinThickness", "Insulin", "BMI",
            "DiabetesPedigreeFunction", "Age", "Outcome"};

    @TempDir
    Path dir;

    /** {@code n} rows: feature means/spreads like the Pima table, Outcome ~ Bernoulli(sigmoid(rule)). */
    static Path writeTable(Path file, int n, long seed) throws IOException {
        Random r = new Random(seed);
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write(String.join(",", COLUMNS) + "\n");
            for (int i = 0; i < n; i++) {
                int preg = r.nextInt(12);
                double glucose = Math.max(40, 120 + 30 * r.nextGaussian());
                double bp = Math.max(30, 69 + 12 * r.nextGaussian());
                double skin = Math.max(0, 20 + 10 * r.nextGaussian());
                double insulin = Math.max(0, 80 + 60 * r.nextGaussian());
                double bmi = Math.max(15, 32 + 7 * r.nextGaussian());
                double pedigree = Math.max(0.05, 0.47 + 0.3 * r.nextGaussian());
                int age = 21 + r.nextInt(50);
                double logit = 0.045 * (glucose - 120) + 0.1 * (bmi - 32) + 1.0 * (pedigree - 0.47)
                        + 0.03 * (age - 33) + 0.1 * (preg - 4) - 0.7;
                int outcome = r.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
                w.write(String.format(Locale.ROOT, "%d,%.0f,%.0f,%.0f,%.0f,%.1f,%.3f,%d,%d%n", preg, glucose, bp, skin,
                        insulin, bmi, pedigree, age, outcome));
            }
        }
        return file;
    }

    @Test
    void anMlpWithBceLearnsTheOutcomeFromTheCsvConfig() throws IOException {
        Path csv = writeTable(dir.resolve("diabetes.csv"), 768, 3);
        String hocon = """
                data {
                  format = csv
                  train.path = "%s"
                  val-fraction = 0.2
                  classes = 1
                  target = value
                  csv { header = true, label = Outcome }
                  transforms.normalize-from-train = true
                }
                model { type = mlp, hidden = [16] }
                loss = bce
                optimizer { type = adam, lr = 0.01 }
                train { epochs = 30, batch-size = 32, workers = 1, averaging-frequency = 1, seed = 7 }
                output.dir = "%s"
                checkpoint.every-epochs = 0
                """.formatted(csv.toUri(), dir.resolve("run").toUri());
        JobConfig config = ConfigLoader.parse(hocon, List.of());
        TrainingSnapshot end = Trainer.builder(config)
                .console(new PrintStream(PrintStream.nullOutputStream())).build().fit().snapshot();
        assertEquals(30, end.epochsDone());

        // the validation part, as the trainer saw it: about 0.2 * 768 = 154 rows, drawn by the seeded hash
        DataPreparation prep = new DataPreparation(config.data(), 7, 1);
        PreparedData seen = prep.prepareViews(prep.prepareLocally(HadoopConf.defaults()));
        Dataset val = new ConcatDataset(seen.val());
        assertEquals(768, seen.trainSize() + seen.valSize());
        assertTrue(Math.abs(val.size() - 154) < 45, "within 4 standard deviations of 0.2 x 768: " + val.size());
        DataSet batch = val.batch(IntStream.range(0, val.size()).toArray(), 1, DataType.FLOAT);
        Replica replica = new Replica(new TrainingRun(config, System.out).modelSpec());
        replica.setParams(end.params());
        INDArray p = replica.network().output(batch.getFeatures());
        double positives = batch.getLabels().sumNumber().doubleValue() / val.size();
        double prior = -(positives * Math.log(positives) + (1 - positives) * Math.log(1 - positives));
        int correct = 0;
        for (int i = 0; i < val.size(); i++) {
            correct += (p.getDouble(i, 0) > 0.5) == (batch.getLabels().getDouble(i, 0) > 0.5) ? 1 : 0;
        }
        double accuracy = correct / (double) val.size();
        double valLoss = end.last().valLoss();
        System.out.printf(Locale.ROOT, "diabetes-like BCE: val loss %.4f (constant-prior loss %.4f), val accuracy %.3f%n",
                valLoss, prior, accuracy);
        assertTrue(valLoss < prior - 0.1, "val loss " + valLoss + " vs constant prior " + prior);
        assertTrue(accuracy > 0.72, "val accuracy " + accuracy);
        // the run's own validation accuracy is the thresholded one (it was 1.0, argmax of one output, before)
        assertEquals(accuracy, end.last().valAccuracy(), 1e-12);
    }
}
