package dev.sparktrain.job.cli;

import dev.sparktrain.config.ConfigException;
import dev.sparktrain.config.ConfigLoader;
import dev.sparktrain.config.JobConfig;
import dev.sparktrain.model.ModelSpec;
import dev.sparktrain.model.ModelSummary;
import dev.sparktrain.model.Replica;
import dev.sparktrain.optim.ParamGroups;
import dev.sparktrain.run.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code summary}: prints the configured model like print(net), with shapes and parameter counts. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print the model: its layers as print(net) shows them, output shapes, parameter counts")
public final class SummaryCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "HOCON job config file")
    Path configFile;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "override a config key (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--input", paramLabel = "CxHxW",
            description = "input shape, e.g. 1x32x32 (default: read from the training images' header)")
    String input;

    private ModelSpec fromInput(JobConfig config) {
        String[] dims = input.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (dims.length != 3) {
                throw new NumberFormatException(input);
            }
            return config.model().spec(Integer.parseInt(dims[0]), Integer.parseInt(dims[1]),
                    Integer.parseInt(dims[2]), config.data().classes(), config.train().seed());
        } catch (NumberFormatException e) {
            throw new ConfigException("--input must look like CxHxW (e.g. 1x32x32), found '" + input + "'");
        }
    }

    @Override
    public Integer call() {
        JobConfig config = ConfigLoader.load(configFile, overrides);
        ModelSpec spec = input == null ? new TrainingRun(config, System.out).modelSpec() : fromInput(config);
        Replica replica = TrainingRun.replica(spec, config);
        List<String> frozen = ParamGroups.selectAny(replica.layout(), config.optimizer().frozen(), "optimizer.frozen");
        System.out.print(ModelSummary.of(replica, new HashSet<>(frozen)).render());
        return 0;
    }
}
