package dev.sparktrain.job.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code summary} of the resnet zoo model: every vertex with the nodes it reads. */
class GraphSummaryCommandTest {
    @Test
    void summaryPrintsTheResnetGraph() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream before = System.out;
        System.setOut(new PrintStream(out, true));
        int code;
        try {
            code = Main.run(new PrintWriter(new StringWriter(), true), "summary", "--input", "1x28x28",
                    "--set", "model.type=resnet", "--set", "optimizer.frozen=[conv1]");
        } finally {
            System.setOut(before);
        }
        String text = out.toString();
        assertEquals(0, code, text);
        assertTrue(text.startsWith("ResNet(\n") && text.contains("(layer2.0.add): Add()")
                && text.contains("layer2.0.conv2, layer2.0.downsample.0") && text.contains("Total params: 19,562")
                && text.contains("Non-trainable params: 160"), text);
    }
}
