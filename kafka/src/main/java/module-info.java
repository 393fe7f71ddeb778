/** Stateful Kafka consumer groups whose keyed state and offsets live in Cairn checkpoints. */
module dev.cairn.kafka {
    requires transitive dev.cairn.config;
    requires transitive kafka.clients;
    requires org.slf4j;

    exports dev.cairn.kafka;
}
