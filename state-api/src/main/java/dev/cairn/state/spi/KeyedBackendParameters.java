package dev.cairn.state.spi;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.TtlTimeProvider;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.metrics.MetricGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link StateBackend} needs to create a keyed backend for one operator instance. Built with
 * {@link #builder(TypeSerializer)}; defaults: 128 key groups, the full key-group range, nothing to restore.
 *
 * @param <K> the key type
 */
public final class KeyedBackendParameters<K> {
    private final String operatorIdentifier;
    private final TypeSerializer<K> keySerializer;
    private final int numberOfKeyGroups;
    private final KeyGroupRange keyGroupRange;
    private final List<KeyedStateHandle> restoreHandles;
    private final ClassLoader classLoader;
    private final TtlTimeProvider ttlTimeProvider;
    private final MetricGroup metricGroup;

    private KeyedBackendParameters(Builder<K> b) {
        this.metricGroup = b.metricGroup;
        this.ttlTimeProvider = b.ttlTimeProvider;
        this.operatorIdentifier = b.operatorIdentifier;
        this.keySerializer = b.keySerializer;
        this.numberOfKeyGroups = b.numberOfKeyGroups;
        this.keyGroupRange = b.keyGroupRange != null ? b.keyGroupRange : KeyGroupRange.of(0, numberOfKeyGroups - 1);
        this.restoreHandles = List.copyOf(b.restoreHandles);
        this.classLoader = b.classLoader;
        KeyGroupRangeAssignment.checkParallelism(numberOfKeyGroups, 1);
        if (keyGroupRange.getEndKeyGroup() >= numberOfKeyGroups) {
            throw new IllegalArgumentException(
                    "Key-group range " + keyGroupRange + " exceeds the " + numberOfKeyGroups + " key groups");
        }
    }

    /**
     * Starts parameters for keys serialized by {@code keySerializer}.
     *
     * @param keySerializer the keys' serializer
     * @param <K> the key type
     * @return a builder with the defaults
     */
    public static <K> Builder<K> builder(TypeSerializer<K> keySerializer) {
        return new Builder<>(keySerializer);
    }

    /**
     * Names the operator in logs, files and errors.
     *
     * @return the operator's name
     */
    public String getOperatorIdentifier() {
        return operatorIdentifier;
    }

    /**
     * The keys' serializer.
     *
     * @return the serializer
     */
    public TypeSerializer<K> getKeySerializer() {
        return keySerializer;
    }

    /**
     * The total number of key groups (the max parallelism).
     *
     * @return the number of key groups
     */
    public int getNumberOfKeyGroups() {
        return numberOfKeyGroups;
    }

    /**
     * The key groups the backend owns.
     *
     * @return the range
     */
    public KeyGroupRange getKeyGroupRange() {
        return keyGroupRange;
    }

    /**
     * Snapshots to restore; those covering other key groups too are clipped to {@link #getKeyGroupRange()}.
     *
     * @return the handles
     */
    public List<KeyedStateHandle> getRestoreHandles() {
        return restoreHandles;
    }

    /**
     * Loads user classes named in restored serializer snapshots.
     *
     * @return the class loader
     */
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    /**
     * The same parameters restoring {@code handles} instead (wrapping backends hand their inner part on).
     *
     * @param handles what to restore instead
     * @return the new parameters
     */
    public KeyedBackendParameters<K> withRestoreHandles(List<? extends KeyedStateHandle> handles) {
        return builder(keySerializer)
                .operatorIdentifier(operatorIdentifier)
                .numberOfKeyGroups(numberOfKeyGroups)
                .keyGroupRange(keyGroupRange)
                .restoreFrom(handles)
                .classLoader(classLoader)
                .ttlTimeProvider(ttlTimeProvider)
                .metricGroup(metricGroup)
                .build();
    }

    /**
     * Where the backend registers its metrics (RocksDB native properties and memory, heap state sizes,
     * materializations), tagged for its operator and instance; the backend closes it when it is disposed.
     *
     * @return the metric group ({@link MetricGroup#noop()} unless one was given)
     */
    public MetricGroup getMetricGroup() {
        return metricGroup;
    }

    /**
     * The clock state TTL measures time with.
     *
     * @return the time provider
     */
    public TtlTimeProvider getTtlTimeProvider() {
        return ttlTimeProvider;
    }

    /**
     * Builds {@link KeyedBackendParameters}.
     *
     * @param <K> the key type
     */
    public static final class Builder<K> {
        private final TypeSerializer<K> keySerializer;
        private String operatorIdentifier = "operator";
        private int numberOfKeyGroups = KeyGroupRangeAssignment.DEFAULT_MAX_PARALLELISM;
        private KeyGroupRange keyGroupRange;
        private final List<KeyedStateHandle> restoreHandles = new ArrayList<>();
        private ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
        private TtlTimeProvider ttlTimeProvider = TtlTimeProvider.SYSTEM;
        private MetricGroup metricGroup = MetricGroup.noop();

        private Builder(TypeSerializer<K> keySerializer) {
            this.keySerializer = Objects.requireNonNull(keySerializer, "keySerializer");
        }

        /**
         * Names the operator (default {@code operator}).
         *
         * @param id the name
         * @return this builder
         */
        public Builder<K> operatorIdentifier(String id) {
            this.operatorIdentifier = Objects.requireNonNull(id);
            return this;
        }

        /**
         * The max parallelism (default 128).
         *
         * @param numberOfKeyGroups 1 to 32768
         * @return this builder
         */
        public Builder<K> numberOfKeyGroups(int numberOfKeyGroups) {
            this.numberOfKeyGroups = numberOfKeyGroups;
            return this;
        }

        /**
         * The key groups the backend owns (default: all).
         *
         * @param range the range
         * @return this builder
         */
        public Builder<K> keyGroupRange(KeyGroupRange range) {
            this.keyGroupRange = Objects.requireNonNull(range);
            return this;
        }

        /**
         * The key groups of instance {@code index} out of {@code parallelism}.
         *
         * @param index the instance, 0-based
         * @param parallelism the number of instances
         * @return this builder
         */
        public Builder<K> instance(int index, int parallelism) {
            return keyGroupRange(KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                    numberOfKeyGroups, parallelism, index));
        }

        /**
         * Handles to restore from; may cover other key groups, which are skipped.
         *
         * @param handles the handles, added to those given before
         * @return this builder
         */
        public Builder<K> restoreFrom(List<? extends KeyedStateHandle> handles) {
            for (KeyedStateHandle handle : handles) {
                restoreHandles.add(Objects.requireNonNull(handle, "restore handle"));
            }
            return this;
        }

        /**
         * Loads user classes named in restored serializer snapshots (default: the thread's context class loader).
         *
         * @param loader the class loader
         * @return this builder
         */
        public Builder<K> classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader);
            return this;
        }

        /**
         * The clock of state TTL (default: the wall clock).
         *
         * @param provider the time provider
         * @return this builder
         */
        public Builder<K> ttlTimeProvider(TtlTimeProvider provider) {
            this.ttlTimeProvider = Objects.requireNonNull(provider);
            return this;
        }

        /**
         * Where the backend registers its metrics (default: nowhere).
         *
         * @param group the operator instance's metric group
         * @return this builder
         */
        public Builder<K> metricGroup(MetricGroup group) {
            this.metricGroup = Objects.requireNonNull(group);
            return this;
        }

        /**
         * The parameters.
         *
         * @return the parameters
         * @throws IllegalArgumentException if the key-group range exceeds the number of key groups
         */
        public KeyedBackendParameters<K> build() {
            return new KeyedBackendParameters<>(this);
        }
    }
}
