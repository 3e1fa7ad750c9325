#!/usr/bin/env node
// `npx sweepboard …`: runs the TypeScript CLI through tsx.
import { register } from "tsx/esm/api";

register();
await import("./cli.ts");
