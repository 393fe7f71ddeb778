/** Checkpoint storages (jobmanager, filesystem) and the checkpoint coordinator (issue 3; empty until then). */
package dev.cairn.checkpoint;
