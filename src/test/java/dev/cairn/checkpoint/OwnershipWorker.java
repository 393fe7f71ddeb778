package dev.cairn.checkpoint;

import dev.cairn.config.StateEnvironment;
import dev.cairn.s3.S3TestServer;
import dev.cairn.state.Configuration;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueStateDescriptor;
import java.io.IOException;

/**
 * One process of {@link CheckpointOwnershipTest}: a job on a checkpoint directory ({@code <dir> <job name>}) that
 * restores, adds one to a counter, checkpoints, prints {@code COUNT <n>}, and then holds the directory until its
 * standard input closes. A failure prints {@code ERROR <message>} and exits with 2.
 */
public final class OwnershipWorker {
    private OwnershipWorker() {}

    public static void main(String[] args) throws IOException {
        Configuration configuration = new Configuration();
        if (args[0].startsWith("s3://")) {
            configuration.addAll(S3TestServer.configuration());
        }
        configuration.setString("execution.checkpointing.dir", args[0]);
        configuration.setString("pipeline.name", args[1]);
        try (StateEnvironment environment = StateEnvironment.create(configuration)) {
            var backend = environment.keyedBackend("counter", Serializers.STRING);
            backend.setCurrentKey("runs");
            var count = backend.getState(new ValueStateDescriptor<>("count", Serializers.LONG));
            count.update(count.value() == null ? 1 : count.value() + 1);
            environment.triggerCheckpoint().get();
            System.out.println("COUNT " + count.value());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the directory until the test closes our input
            }
        } catch (Exception e) {
            System.out.println("ERROR " + e.getMessage());
            System.exit(2);
        }
        System.exit(0);
    }
}
