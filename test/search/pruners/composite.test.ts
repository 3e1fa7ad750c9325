import { describe, expect, it } from "vitest";
import { anyOf, createPruner, HyperbandPruner, BRACKET_ATTR } from "../../../search/pruners/index";
import type { Pruner } from "../../../search/types";
import { studyOf, trialOf } from "./fake-study";

describe("anyOf", () => {
  const never: Pruner = { name: "never", shouldPrune: () => ({ prune: false, reason: "kept: never" }) };
  const always: Pruner = { name: "always", shouldPrune: () => ({ prune: true, reason: "pruned: always" }) };

  it("prunes when any member prunes, with that member's reason, and keeps with every reason otherwise", () => {
    const t = trialOf(0, [0.5], "running");
    const study = studyOf([t]);
    expect(anyOf(never, always).shouldPrune(study, t)).toEqual({ prune: true, reason: "pruned: always" });
    expect(anyOf(never, never).shouldPrune(study, t)).toEqual({ prune: false, reason: "kept: never; kept: never" });
    expect(anyOf(never, always).name).toBe("any-of(never, always)");
    expect(() => anyOf()).toThrow();
  });

  it("merges the members' initial attributes (Hyperband's bracket survives composition)", () => {
    const hb = new HyperbandPruner({ maxResource: 27 });
    const combined = anyOf(createPruner("median"), hb);
    const study = studyOf([]);
    expect(combined.initialAttrs(study, 7)).toEqual({ [BRACKET_ATTR]: hb.bracketFor(0, 7) });
  });
});
