package dev.sparktrain.data;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HadoopConfTest {

    private static HadoopConf roundTrip(HadoopConf c) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(c);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (HadoopConf) in.readObject();
        }
    }

    @Test
    void theJobsKeysTravelAndRemovedDefaultsStayRemoved() throws Exception {
        Configuration job = new Configuration();
        job.set("fs.s3a.endpoint", "http://store.example:9000");
        job.set("io.file.buffer.size", "131072"); // a default changed
        job.unset("hadoop.tmp.dir");               // a default removed
        HadoopConf sent = HadoopConf.of(job);
        job.set("fs.s3a.endpoint", "changed after the snapshot");

        HadoopConf received = roundTrip(sent);
        Configuration c = received.get();
        assertEquals("http://store.example:9000", c.get("fs.s3a.endpoint"));
        assertEquals("131072", c.get("io.file.buffer.size"));
        assertNull(c.getRaw("hadoop.tmp.dir"));
        assertEquals(new Configuration().get("fs.defaultFS"), c.get("fs.defaultFS"));
    }

    @Test
    void carryingASnapshotDoesNotBuildTheConfiguration() throws Exception {
        Configuration job = new Configuration();
        job.set("sparktrain.test.key", "v");
        HadoopConf received = roundTrip(HadoopConf.of(job));
        assertFalse(received.built(), "deserializing must not parse Hadoop's default files");
        assertEquals("v", received.get().get("sparktrain.test.key"));
        assertTrue(received.built());
        HadoopConf again = roundTrip(received); // a carried snapshot travels on unchanged
        assertFalse(again.built());
        assertEquals("v", again.get().get("sparktrain.test.key"));
        assertSame(received.get(), again.get(), "copies of one snapshot share the configuration built in this JVM");
    }

    @Test
    void defaultsAreHadoopsOwn() throws Exception {
        HadoopConf d = roundTrip(HadoopConf.defaults());
        assertEquals(new Configuration().get("io.file.buffer.size"), d.get().get("io.file.buffer.size"));
    }
}
