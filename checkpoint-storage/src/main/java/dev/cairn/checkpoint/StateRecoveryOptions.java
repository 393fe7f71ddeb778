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

    /**
     * {@code execution.state-recovery.from-latest-checkpoint}: whether a job without {@link #SAVEPOINT_PATH} restores
     * the latest completed checkpoint of its directory (Cairn only).
     */
    public static final ConfigOption<Boolean> FROM_LATEST_CHECKPOINT = ConfigOptions.key(
                    "execution.state-recovery.from-latest-checkpoint")
            .booleanType()
            .defaultValue(true)
            .withDescription("Cairn only. false: without execution.state-recovery.path the job starts without state"
                    + " even when its directory holds checkpoints (they stay and are subsumed as usual; new ids"
                    + " continue after theirs). For a coordinator that decides elsewhere which checkpoint counts,"
                    + " such as cairn-kafka's exactly-once mode.");

    /** {@return every option defined here} */
    public static List<ConfigOption<?>> all() {
        return List.of(SAVEPOINT_PATH, CLAIM_MODE, FROM_LATEST_CHECKPOINT);
    }
}
