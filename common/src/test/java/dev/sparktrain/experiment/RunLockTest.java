package dev.sparktrain.experiment;

import dev.sparktrain.config.ConfigException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The experiment's lock as a lease: exclusive under a race, renewed, expired, taken over, fenced. */
class RunLockTest {
    private static final Duration BEAT = Duration.ofSeconds(30);
    private static final Duration STALE = Duration.ofSeconds(90);

    @TempDir
    static java.nio.file.Path dir;

    private static FileSystem local() throws IOException {
        return FileSystem.getLocal(new Configuration());
    }

    private static Path lockDir(String name) {
        return new Path(dir.resolve(name).resolve("lock").toUri());
    }

    @Test
    void renewedItHoldsNotRenewedItExpiresAndItsOldHolderIsFencedOff() throws IOException {
        FileSystem fs = local();
        AtomicLong now = new AtomicLong(System.currentTimeMillis());
        Path lock = lockDir("renewal");
        RunLock a = RunLock.acquire(fs, lock, "a", BEAT, STALE, now::get, false, "host-a");
        now.addAndGet(60_000);
        ExperimentLockedException held = assertThrows(ExperimentLockedException.class,
                () -> RunLock.acquire(fs, lock, "b", BEAT, STALE, now::get, false, "host-b"));
        assertTrue(held.getMessage().contains("locked by run a (host host-a") && held.getMessage().contains(
                "renewed 60 s ago") && held.getMessage().contains("lock.stale-after = 1m30s"), held.getMessage());
        a.renew(); // at 60 s
        now.addAndGet(60_000);
        assertThrows(ExperimentLockedException.class,
                () -> RunLock.acquire(fs, lock, "b", BEAT, STALE, now::get, false, "host-b"), "renewed 60 s ago");
        a.check();
        now.addAndGet(40_000); // 100 s after the last renewal: expired, whichever host held it
        RunLock.LeaseLostException byClock = assertThrows(RunLock.LeaseLostException.class, a::check);
        assertTrue(byClock.getMessage().contains("run a lost the experiment's lock") && byClock.getMessage()
                .contains("not renewed for 100 s"), byClock.getMessage());
        RunLock b = RunLock.acquire(fs, lock, "b", BEAT, STALE, now::get, false, "host-b");
        assertEquals(2, b.holder().generation());
        RunLock.LeaseLostException taken = assertThrows(RunLock.LeaseLostException.class, a::verify);
        assertTrue(taken.getMessage().contains("run a lost the experiment's lock"), taken.getMessage());
        a.close(); // leaves b's lease alone
        b.verify();
        assertEquals(List.of("lease-0000000002"), names(lock));
        b.close();
        assertTrue(!Files.exists(dir.resolve("renewal/lock")), "released");
    }

    @Test
    void aHolderThatSeesALaterGenerationHasLostItAtItsNextHeartbeat() throws IOException {
        FileSystem fs = local();
        AtomicLong now = new AtomicLong(System.currentTimeMillis());
        Path lock = lockDir("seen");
        RunLock a = RunLock.acquire(fs, lock, "a", BEAT, STALE, now::get, false, "host-a");
        Files.writeString(dir.resolve("seen/lock/lease-0000000002"), "{\"host\":\"host-c\",\"pid\":1,\"runId\":\"c\","
                + "\"since\":\"x\",\"token\":\"t\",\"generation\":2}");
        a.renew();
        RunLock.LeaseLostException e = assertThrows(RunLock.LeaseLostException.class, a::check);
        assertTrue(e.getMessage().contains("taken over by run c (host host-c"), e.getMessage());
    }

    @Test
    void aLaterAttemptOfTheHoldersYarnApplicationTakesItsLeaseAtOnceAnotherApplicationWaits() throws IOException {
        FileSystem fs = local();
        AtomicLong now = new AtomicLong(System.currentTimeMillis());
        Path lock = lockDir("attempts");
        Attempt first = new Attempt("application_1796691380832_0004", 1);
        RunLock a = RunLock.acquire(fs, lock, "a", BEAT, STALE, now::get, false, "node-1", first);
        assertEquals(first.application(), a.holder().application());
        now.addAndGet(5_000); // renewed 5 s ago, on another host: fresh
        ExperimentLockedException other = assertThrows(ExperimentLockedException.class, () -> RunLock.acquire(fs, lock,
                "b", BEAT, STALE, now::get, false, "node-2", new Attempt("application_1796691380832_0005", 2)));
        assertTrue(other.getMessage().contains("locked by run a (host node-1"), other.getMessage());
        assertThrows(ExperimentLockedException.class, () -> RunLock.acquire(fs, lock, "b", BEAT, STALE, now::get,
                false, "node-2", first), "the same attempt again is not a later one");
        RunLock b = RunLock.acquire(fs, lock, "a", BEAT, STALE, now::get, false, "node-2",
                new Attempt(first.application(), 2));
        assertEquals(2, b.holder().generation());
        assertEquals(2, b.holder().attempt());
        assertThrows(RunLock.LeaseLostException.class, a::verify, "the first attempt, were it alive, is fenced off");
        b.close();
    }

    @Test
    void aFileSystemWithoutAnExclusiveCreateIsRefusedNamingLockDir() {
        FileSystem objectStore = new FilterFileSystem(new RawLocalFileSystem()) { // not a local disk
            @Override
            public URI getUri() {
                return URI.create("s3a://bucket/");
            }

            @Override
            public Path makeQualified(Path path) {
                return new Path("s3a://bucket/exp/lock");
            }
        };
        ConfigException e = assertThrows(ConfigException.class, () -> RunLock.acquire(objectStore,
                new Path("s3a://bucket/exp/lock"), "a", BEAT, STALE));
        assertEquals("the experiment's lock cannot be held on s3a://bucket/exp/lock: s3a:// has no exclusive create; "
                + "set lock.dir to a folder on HDFS or a local disk", e.getMessage());
    }

    /**
     * Two JVMs race for the same lock 20 times (10 free locks, 10 stale leases of another host to take
     * over), each start aligned on the wall clock: each time exactly one wins.
     */
    @Test
    void twoJvmsRacingForTheSameLockExactlyOneWinsEachTime() throws Exception {
        int rounds = 20;
        for (int r = 10; r < rounds; r++) { // a stale lease of another host to take over
            java.nio.file.Path stale = dir.resolve("race/" + r + "/lock/lease-0000000001");
            Files.createDirectories(stale.getParent());
            Files.writeString(stale, "{\"host\":\"elsewhere\",\"pid\":1,\"runId\":\"old\",\"since\":\"x\",\"token\":"
                    + "\"t\",\"generation\":1}");
            Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(0));
        }
        long start = System.currentTimeMillis() + 3000;
        List<Process> racers = new ArrayList<>();
        for (String name : List.of("x", "y")) {
            racers.add(new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                    System.getProperty("java.class.path"), Racer.class.getName(), dir.resolve("race").toString(),
                    name, String.valueOf(rounds), String.valueOf(start)).redirectErrorStream(true).start());
        }
        Map<Integer, List<String>> winners = new TreeMap<>();
        StringBuilder log = new StringBuilder();
        for (Process p : racers) {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "a racer did not finish");
            for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
                log.append(line).append('\n');
                String[] f = line.trim().split(" ");
                if (f.length == 3 && f[2].equals("won")) {
                    winners.computeIfAbsent(Integer.parseInt(f[1]), k -> new ArrayList<>()).add(f[0]);
                }
            }
        }
        for (int r = 0; r < rounds; r++) {
            assertEquals(1, winners.getOrDefault(r, List.of()).size(), "round " + r + ":\n" + log);
        }
        System.out.println("two JVMs, 20 races: winners " + winners);
    }

    /** One racer: at start + 250 ms x round, takes the lock of that round and keeps it; prints who won. */
    public static final class Racer {
        public static void main(String[] args) throws Exception {
            FileSystem fs = FileSystem.getLocal(new Configuration());
            String name = args[1];
            int rounds = Integer.parseInt(args[2]);
            long start = Long.parseLong(args[3]);
            List<RunLock> held = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                long wait = start + 250L * r - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                try {
                    held.add(RunLock.acquire(fs, new Path(java.nio.file.Path.of(args[0], String.valueOf(r), "lock")
                            .toUri()), name, BEAT, STALE));
                    System.out.println(name + " " + r + " won");
                } catch (ExperimentLockedException e) {
                    System.out.println(name + " " + r + " locked");
                }
            }
            System.out.flush();
            Runtime.getRuntime().halt(0); // keep the leases: the other racer's late attempts must see them held
        }
    }

    private static List<String> names(Path lock) throws IOException {
        List<String> out = new ArrayList<>();
        try (var s = Files.list(java.nio.file.Path.of(lock.toUri()))) {
            s.forEach(p -> out.add(p.getFileName().toString()));
        }
        return out;
    }
}
