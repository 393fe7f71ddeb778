/** Checkpoint storages, the checkpoint coordinator and the file-system SPI. */
module dev.cairn.checkpoint {
    requires transitive dev.cairn.state.api;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports dev.cairn.checkpoint;
    exports dev.cairn.checkpoint.fs;

    uses dev.cairn.checkpoint.fs.FileSystemFactory;
    uses dev.cairn.state.spi.KeyedStateHandleCodec;

    provides dev.cairn.checkpoint.CheckpointStorageFactory with
            dev.cairn.checkpoint.internal.JobManagerCheckpointStorageFactory,
            dev.cairn.checkpoint.internal.FileSystemCheckpointStorageFactory;
}
