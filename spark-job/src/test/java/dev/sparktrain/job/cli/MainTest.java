package dev.sparktrain.job.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad configs stop the job before any work, with exit code 2 and a message naming key and value. */
class MainTest {
    @TempDir
    Path dir;

    private String runExpectingFailure(int expectedCode, String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(err, true), args);
        assertEquals(expectedCode, code, err.toString());
        return err.toString();
    }

    @Test
    void unknownKeyIsRejectedWithASuggestion() {
        String err = runExpectingFailure(2, "train", "--set", "train.batchsize=32");
        assertTrue(err.contains("unknown config key 'train.batchsize'"), err);
        assertTrue(err.contains("did you mean 'train.batch-size'"), err);
    }

    @Test
    void badValueNamesKeyAndValue() {
        String err = runExpectingFailure(2, "train", "--set", "train.batch-size=0");
        assertTrue(err.contains("train.batch-size must be a positive integer, found 0"), err);
    }

    @Test
    void unknownKeyInAFileNamesTheFileAndLine() throws Exception {
        Path conf = dir.resolve("job.conf");
        Files.writeString(conf, "train {\n  epochs = 2\n  averaging = 4\n}\n");
        String err = runExpectingFailure(2, "train", conf.toString());
        assertTrue(err.contains("train.averaging") && err.contains("job.conf: 3"), err);
    }

    @Test
    void missingDataFileIsNamed() {
        String err = runExpectingFailure(1, "train", "--local", "--set", "data.train.images=file:///nonexistent/x.gz",
                "--set", "output.dir=" + dir.toUri());
        assertTrue(err.contains("/nonexistent/x.gz") && err.contains("not found"), err);
    }
}
