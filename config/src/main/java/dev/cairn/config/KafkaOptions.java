package dev.cairn.config;

import dev.cairn.state.ConfigOption;
import dev.cairn.state.ConfigOptions;
import java.time.Duration;
import java.util.List;

/**
 * The {@code kafka.*} options of the {@code cairn-kafka} module's {@code KafkaStateful}: defined here, with every
 * other option, so that configuration files, environment variables and {@code docs/config.md} know them.
 */
public final class KafkaOptions {
    private KafkaOptions() {}

    /** {@code kafka.processing.guarantee}: {@code at_least_once} (the default) or {@code exactly_once}. */
    public static final ConfigOption<String> PROCESSING_GUARANTEE = ConfigOptions.key("kafka.processing.guarantee")
            .stringType()
            .defaultValue("at_least_once")
            .withDescription("Cairn only. Either way every input record's effect on state counts exactly once (state"
                    + " and offsets are checkpointed together). at_least_once: output is flushed before the checkpoint"
                    + " covering its input completes and may repeat after a failure. exactly_once: output goes through"
                    + " a transactional producer; each round's transaction commits, with offsets naming the round's"
                    + " checkpoints, after they completed, and a restore takes the checkpoint the committed offsets"
                    + " name.");

    /** {@code kafka.checkpoint-interval}: time between checkpoints of the assigned partitions. */
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = ConfigOptions.key("kafka.checkpoint-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("Cairn only. Time between checkpoints of every assigned partition (state and the"
                    + " offset of the next record); after a failure, input since the last one is read again.");

    /** {@code kafka.partition.ownership-wait}: how long a newly assigned partition waits for its previous owner. */
    public static final ConfigOption<Duration> OWNERSHIP_WAIT = ConfigOptions.key("kafka.partition.ownership-wait")
            .durationType()
            .defaultValue(Duration.ofMinutes(2))
            .withDescription("Cairn only. A partition's checkpoint directory has one owner (its ownership lease). A"
                    + " newly assigned partition stays paused, retrying, until the previous owner releases the lease"
                    + " or it goes stale ('execution.checkpointing.ownership.lease-timeout'); after this long the"
                    + " consumer fails.");

    /** {@code kafka.watermark.out-of-orderness}: how late records may be for event-time timers. */
    public static final ConfigOption<Duration> WATERMARK_OUT_OF_ORDERNESS = ConfigOptions.key(
                    "kafka.watermark.out-of-orderness")
            .durationType()
            .defaultValue(Duration.ZERO)
            .withDescription("Cairn only. Each input partition's watermark is its largest record timestamp minus this,"
                    + " minus 1 ms (Flink's bounded out-of-orderness); event-time timers fire when it reaches them. A"
                    + " partition without new records does not advance its watermark.");

    /** {@return every option defined here} */
    public static List<ConfigOption<?>> all() {
        return List.of(PROCESSING_GUARANTEE, CHECKPOINT_INTERVAL, OWNERSHIP_WAIT, WATERMARK_OUT_OF_ORDERNESS);
    }
}
