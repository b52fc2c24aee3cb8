package dev.sparktrain.run;

import dev.sparktrain.config.ExperimentConfig;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.eval.Evaluation;
import dev.sparktrain.eval.TargetKind;
import dev.sparktrain.experiment.Experiment;
import dev.sparktrain.experiment.Promotion;
import dev.sparktrain.model.Dl4jModels;
import dev.sparktrain.model.Replica;
import dev.sparktrain.train.StepExecutor;
import dev.sparktrain.train.TrainingSnapshot;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.PrintStream;
import java.util.Optional;

/**
 * The promotion gate after training: the new model's final validation figure against the production
 * model's, that model evaluated now on the same validation shards by the same executor ({@code promote.*}).
 */
final class PromotionGate {
    private final JobConfig config;
    private final Configuration hadoop;
    private final PrintStream console;

    PromotionGate(JobConfig config, Configuration hadoop, PrintStream console) {
        this.config = config;
        this.hadoop = hadoop;
        this.console = console;
    }

    Promotion decide(Experiment experiment, StepExecutor executor, Replica replica, TrainingSnapshot end) {
        ExperimentConfig e = config.experiment();
        String metric = e.promoteMetric();
        TargetKind kind = replica.evaluator().kind();
        if (!kind.classification() && metric.equals("val_accuracy")) {
            metric = "val_loss";
            console.println("promote.metric = val_accuracy: a " + kind.text() + " model has no accuracy; comparing "
                    + "val_loss");
        }
        boolean lower = metric.equals("val_loss");
        double candidate = end.last() == null ? Double.NaN : lower ? end.last().valLoss() : end.last().valAccuracy();
        Optional<String> production = experiment.pointer(Experiment.PRODUCTION);
        if (production.isEmpty()) {
            return Promotion.decide(metric, lower, candidate, null, null, e.promoteMinDelta(), e.forcePromote());
        }
        String zip = experiment.runDir(production.get()) + "/" + Experiment.MODEL;
        INDArray params;
        try {
            Dl4jModels.Saved saved = Dl4jModels.saved(zip, hadoop);
            params = replica.layout().placeFrom(saved.layout(), saved.params(), replica.params().dataType());
        } catch (IllegalArgumentException ex) {
            return Promotion.notComparable(metric, candidate, production.get(), e.promoteMinDelta(), e.forcePromote(),
                    "the production model (run " + production.get() + ") cannot be evaluated as this model: "
                            + ex.getMessage() + "; --force-promote replaces it");
        }
        Evaluation eval = executor.evaluate(params);
        double current = lower ? eval.meanLoss() : eval.accuracy();
        return Promotion.decide(metric, lower, candidate, production.get(), current, e.promoteMinDelta(),
                e.forcePromote());
    }
}
