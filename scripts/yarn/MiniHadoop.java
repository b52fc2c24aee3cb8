import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * A real HDFS (MiniDFSCluster, one DataNode) and a real YARN (MiniYARNCluster: a ResourceManager and
 * NODES NodeManagers of NM_MB memory each, with their physical-memory checks on) in one JVM, from
 * Hadoop's own hadoop-client-minicluster, for scripts/yarn-test.sh. It writes core-site.xml,
 * hdfs-site.xml and yarn-site.xml to CONF_DIR (what HADOOP_CONF_DIR holds on a gateway host), then
 * prints "ready", the HDFS URI and the NameNode's WebHDFS address, and runs until it is stopped
 * (SIGTERM). The clusters keep their data, logs and containers' working folders under WORK_DIR.
 *
 *   java -cp MINICLUSTER_CLASSPATH scripts/yarn/MiniHadoop.java CONF_DIR WORK_DIR NODES NM_MB MAX_ATTEMPTS \
 *     [LOCAL_FILE=HDFS_PATH ...]
 *
 * Each LOCAL_FILE is copied to HDFS_PATH before "ready" (the data a job reads where it lives).
 */
public final class MiniHadoop {
    public static void main(String[] args) throws Exception {
        Path confDir = Path.of(args[0]);
        Path work = Path.of(args[1]);
        int nodes = Integer.parseInt(args[2]);
        int nodeMemoryMb = Integer.parseInt(args[3]);
        int maxAttempts = Integer.parseInt(args[4]);
        Files.createDirectories(confDir);
        // MiniYARNCluster keeps its folders (NodeManagers' local and log dirs) under test.build.data
        System.setProperty("test.build.data", work.resolve("yarn").toString());

        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve("dfs").toString());
        conf.set("dfs.permissions.enabled", "false");
        MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        dfs.waitActive();

        YarnConfiguration yarnConf = new YarnConfiguration(dfs.getConfiguration(0));
        yarnConf.set("yarn.resourcemanager.hostname", "localhost");
        // a nearly full disk must not mark the NodeManagers unhealthy
        yarnConf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
        // hadoop-client-minicluster has no capacity-scheduler.xml (Spark's own YARN suite does the same)
        yarnConf.set("yarn.scheduler.capacity.root.queues", "default");
        yarnConf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
        yarnConf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
        yarnConf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
        yarnConf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
        yarnConf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
        yarnConf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
        yarnConf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
        // two applications at once (the lock test): their application masters may take half the cluster
        yarnConf.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 0.5f);
        yarnConf.setInt(YarnConfiguration.NM_PMEM_MB, nodeMemoryMb);
        yarnConf.setInt(YarnConfiguration.NM_VCORES, 4);
        yarnConf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
        yarnConf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, nodeMemoryMb);
        // containers over their memory are killed, as on a production NodeManager (virtual memory is
        // not checked: the JVM reserves far more address space than it uses)
        yarnConf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, true);
        yarnConf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        yarnConf.setLong(YarnConfiguration.NM_CONTAINER_MON_INTERVAL_MS, 1000);
        yarnConf.setInt(YarnConfiguration.RM_AM_MAX_ATTEMPTS, maxAttempts);

        MiniYARNCluster yarn = new MiniYARNCluster("sparktrain", nodes, 1, 1);
        yarn.init(yarnConf);
        yarn.start();
        Configuration live = yarn.getConfig();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (live.get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the ResourceManager did not get an address within 30 s");
            }
            Thread.sleep(100);
        }
        FileSystem hdfs = dfs.getFileSystem();
        for (int i = 5; i < args.length; i++) {
            String[] copy = args[i].split("=", 2);
            hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(copy[0]), new org.apache.hadoop.fs.Path(copy[1]));
        }
        // what a gateway host's HADOOP_CONF_DIR would hold: the live addresses, without the test-only
        // rack mapping MiniDFSCluster sets (its class is not in Hadoop's client jars)
        Configuration client = new Configuration(live);
        client.unset("net.topology.node.switch.mapping.impl");
        for (String site : new String[] {"core-site.xml", "hdfs-site.xml", "yarn-site.xml"}) {
            try (OutputStream out = Files.newOutputStream(confDir.resolve(site))) {
                client.writeXml(out);
            }
        }
        System.out.println("ready " + live.get("fs.defaultFS") + " http://" + dfs.getNameNode().getHttpAddress()
                .getHostString() + ":" + dfs.getNameNode().getHttpAddress().getPort());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            yarn.stop();
            dfs.shutdown();
        }));
        Thread.currentThread().join(); // until SIGTERM
    }
}
