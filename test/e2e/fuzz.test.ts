// Bounded fuzz of the real server on PGlite: 2,000 seeded hostile HTTP requests across every route and 1,000
// hostile socket messages across every event, at once (see test/support/fuzz-suite.ts for what is asserted).
import { defineFuzzSuite } from "../support/fuzz-suite";

defineFuzzSuite({ kind: "pglite", seed: 20_240_917, requests: 2_000, messages: 1_000 });
