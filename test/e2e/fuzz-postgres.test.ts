// The fuzz suite on PostgreSQL, smaller (the PGlite file carries the bulk), with a row count of every table
// before and after: the tables only accepted writes add to must grow by exactly what those writes account for.
import { describe } from "vitest";
import { postgresAvailable } from "../support/databases";
import { defineFuzzSuite } from "../support/fuzz-suite";

describe.skipIf(!postgresAvailable)("PostgreSQL", () => defineFuzzSuite({ kind: "postgres", seed: 20_240_918, requests: 800, messages: 400 }));
