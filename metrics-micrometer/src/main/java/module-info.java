/** Cairn's metrics in Micrometer: a {@code MeterBinder} for a {@code StateEnvironment}. */
module dev.cairn.metrics.micrometer {
    requires transitive dev.cairn.config;
    requires transitive micrometer.core;

    exports dev.cairn.metrics.micrometer;
}
