/** Stateful Kafka consumer groups whose keyed state and offsets live in Cairn checkpoints. */
package dev.cairn.kafka;
