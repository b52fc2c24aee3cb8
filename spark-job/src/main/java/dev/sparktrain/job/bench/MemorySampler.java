package dev.sparktrain.job.bench;

import org.bytedeco.javacpp.Pointer;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Samples this JVM's memory every few milliseconds on a daemon thread and keeps the peaks: heap used
 * (MemoryMXBean, garbage included), heap live after the latest collection (the heap pools' collection
 * usage: what survives a GC, the figure that grows if data accumulates), JavaCPP's tracked native bytes ({@code Pointer.totalBytes()}), the
 * process's resident memory ({@code Pointer.physicalBytes()}), its file-backed part (Linux {@code RssFile}:
 * mapped files, which the kernel may drop and re-read) and NIO direct buffers.
 */
final class MemorySampler implements AutoCloseable {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakHeap;
    private volatile long peakLive;
    private volatile long peakNative;
    private volatile long peakRss;
    private volatile long peakDirect;
    private volatile long peakRssFile;

    MemorySampler(long periodMillis) {
        thread = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void sample() {
        peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
        long live = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                live += pool.getCollectionUsage().getUsed();
            }
        }
        peakLive = Math.max(peakLive, live);
        peakNative = Math.max(peakNative, Pointer.totalBytes());
        peakRss = Math.max(peakRss, Pointer.physicalBytes());
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) { // not "mapped": mapped files show in the file-backed set
                direct += pool.getMemoryUsed();
            }
        }
        peakDirect = Math.max(peakDirect, direct);
        peakRssFile = Math.max(peakRssFile, rssFile());
    }

    /** File-backed resident pages (mapped files, the page cache's share of the resident set); 0 off Linux. */
    private static long rssFile() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("RssFile:")) {
                    return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** Peak file-backed resident set (memory-mapped shard files, jars): counted in the resident set. */
    long peakRssFile() {
        return peakRssFile;
    }

    long peakHeap() {
        return peakHeap;
    }

    long peakLive() {
        return peakLive;
    }

    long peakNative() {
        return peakNative;
    }

    long peakRss() {
        return peakRss;
    }

    long peakDirect() {
        return peakDirect;
    }

    /** Heap still in use after a full collection: what the run holds on to. */
    long retainedHeap() {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        sample();
    }
}
