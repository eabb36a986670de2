package org.mustjava.core.checkpoint;

import java.nio.file.Path;

/**
 * One committed checkpoint: the directory {@code ckpt-<step>} holding the tensor bundle
 * {@code ckpt.index}, {@code ckpt.data-*} and {@code manifest.json}.
 */
public record CheckpointInfo(long step, Path directory) {
  /** The bundle file prefix, as SaveV2/RestoreV2 take it. */
  public String prefix() {
    return directory.resolve(CheckpointManager.BUNDLE_NAME).toString();
  }

  public Path manifestFile() {
    return directory.resolve(CheckpointManifest.FILE_NAME);
  }
}
