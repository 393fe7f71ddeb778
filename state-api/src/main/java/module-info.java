/**
 * Cairn's state API and SPI. Applications use {@code dev.cairn.state}; backends and storages implement
 * {@code dev.cairn.state.spi}; {@code dev.cairn.state.support} is shared backend implementation without a
 * compatibility promise; {@code dev.cairn.state.internal…} is not exported.
 */
module dev.cairn.state.api {
    requires transitive com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports dev.cairn.state;
    exports dev.cairn.state.spi;
    exports dev.cairn.state.metrics;
    exports dev.cairn.state.support;
}
