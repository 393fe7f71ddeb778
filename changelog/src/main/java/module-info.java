/** The changelog state backend, which wraps any backend that implements the SPI's wrappable contract. */
module dev.cairn.changelog {
    requires transitive dev.cairn.checkpoint;
    requires org.slf4j;

    exports dev.cairn.changelog;

    provides dev.cairn.state.spi.KeyedStateHandleCodec with
            dev.cairn.changelog.internal.ChangelogHandleCodec;
}
