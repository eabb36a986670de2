package org.mustjava.core.checkpoint;

import java.util.List;

/**
 * What a partial restore did and did not match, by variable name.
 *
 * @param restored variables assigned from the checkpoint
 * @param missing selected model variables the checkpoint lacks
 * @param extra checkpoint variables under the selected prefixes the model lacks
 * @param shapeMismatches variables in both whose shape or dtype differ (described)
 * @param unexpected the entries of the three lists above not covered by the expected patterns
 */
public record RestoreReport(
    List<String> restored,
    List<String> missing,
    List<String> extra,
    List<String> shapeMismatches,
    List<String> unexpected) {

  public boolean ok() {
    return unexpected.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("restored ").append(restored.size()).append(" variables");
    append(sb, "missing from the checkpoint", missing);
    append(sb, "in the checkpoint but not in the model", extra);
    append(sb, "shape or dtype mismatch", shapeMismatches);
    append(sb, "NOT EXPECTED", unexpected);
    return sb.toString();
  }

  private static void append(StringBuilder sb, String what, List<String> names) {
    if (names.isEmpty()) return;
    sb.append("\n  ").append(what).append(" (").append(names.size()).append("):");
    int shown = 0;
    for (String n : names) {
      if (shown++ == 50) {
        sb.append("\n    ... and ").append(names.size() - 50).append(" more");
        break;
      }
      sb.append("\n    ").append(n);
    }
  }
}
