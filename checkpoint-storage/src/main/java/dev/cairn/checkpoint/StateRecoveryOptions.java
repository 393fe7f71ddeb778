package dev.cairn.checkpoint;

import dev.cairn.state.ConfigOption;
import dev.cairn.state.ConfigOptions;
import java.util.List;

/** Options that choose what an application restores from on start. */
public final class StateRecoveryOptions {
    private StateRecoveryOptions() {}

    /** Who owns the files of the checkpoint or savepoint restored from. */
    public enum ClaimMode {
        /** Cairn takes ownership: the restored checkpoint is retained and subsumed like its own. */
        CLAIM,
        /** Cairn never deletes the restored files. */
        NO_CLAIM
    }

    /** {@code execution.state-recovery.path}: Checkpoint or savepoint to restore from; if unset, the latest completed checkpoint in the checkpoint directory. */
    public static final ConfigOption<String> SAVEPOINT_PATH = ConfigOptions.key("execution.state-recovery.path")
            .stringType()
            .noDefaultValue()
            .withDeprecatedKeys("execution.savepoint.path")
            .withDescription("Checkpoint or savepoint to restore from; if unset, the latest completed checkpoint"
                    + " in the checkpoint directory.");

    /** {@code execution.state-recovery.claim-mode}: CLAIM takes ownership of the restored files; NO_CLAIM never deletes them. */
    public static final ConfigOption<ClaimMode> CLAIM_MODE = ConfigOptions.key("execution.state-recovery.claim-mode")
            .enumType(ClaimMode.class)
            .defaultValue(ClaimMode.NO_CLAIM)
            .withDeprecatedKeys("execution.savepoint-restore-mode")
            .withDescription("CLAIM takes ownership of the restored files; NO_CLAIM never deletes them.");

    /** {@return every option defined here} */
    public static List<ConfigOption<?>> all() {
        return List.of(SAVEPOINT_PATH, CLAIM_MODE);
    }
}
