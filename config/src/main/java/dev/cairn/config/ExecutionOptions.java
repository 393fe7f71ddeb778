package dev.cairn.config;

import dev.cairn.state.ConfigOption;
import dev.cairn.state.ConfigOptions;
import java.time.Duration;
import java.util.List;

/** Options of the {@link StateEnvironment} itself. */
public final class ExecutionOptions {
    private ExecutionOptions() {}

    /**
     * {@code pipeline.name}: names the application; checkpoints go under {@code <checkpoint-dir>/<name>/}, so a
     * restarted application finds its own checkpoints by it.
     */
    public static final ConfigOption<String> PIPELINE_NAME = ConfigOptions.key("pipeline.name")
            .stringType()
            .defaultValue("cairn-job")
            .withDescription("The application's name; its checkpoints go under <checkpoint-dir>/<name>/.");

    /** {@code execution.checkpointing.interval}: time between periodic checkpoints; unset disables them. */
    public static final ConfigOption<Duration> CHECKPOINTING_INTERVAL = ConfigOptions.key(
                    "execution.checkpointing.interval")
            .durationType()
            .noDefaultValue()
            .withDescription("Time between periodic checkpoints (e.g. '10 s'); unset: only on demand.");

    /** {@return every option defined here} */
    public static List<ConfigOption<?>> all() {
        return List.of(PIPELINE_NAME, CHECKPOINTING_INTERVAL);
    }
}
