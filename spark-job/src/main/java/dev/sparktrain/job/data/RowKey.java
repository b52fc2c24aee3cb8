package dev.sparktrain.job.data;

import org.apache.spark.Partitioner;

import java.io.Serializable;
import java.util.Comparator;

/** The shuffle key of a row: the partition its {@code ShardLayout} names, and its id (the order within). */
record RowKey(int partition, long id) implements Serializable {

    /** Rows go to the partition in their key. */
    static final class ByPartition extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        ByPartition(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return ((RowKey) key).partition();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ByPartition b && b.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }

    /** Within a partition, by id: {@code ShardLayout.ROW_ORDER}. */
    static final class ById implements Comparator<RowKey>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(RowKey a, RowKey b) {
            return Long.compare(a.id(), b.id());
        }
    }
}
