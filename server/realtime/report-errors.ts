// Which failures of a worker report can never succeed on retry. A worker retries a report answered RETRY_ERROR until
// it is stored, so answering that to a report the database refuses for its data (a NUL in a string, a number out
// of range) made an honest agent retry forever. Such a report is refused instead, with a short reason that names
// the kind of problem and never the database's own text (which may quote the data).
import { truncateText } from "../sweeps/input-limits";

/** SQLSTATE codes outside class 22 (data exception) that no retry can fix. */
const PERMANENT_CODES: Record<string, string> = {
  "23502": "a required value is missing",
  "23514": "a value breaks a check constraint",
  "54000": "a value is too large for the database",
};

/** Class 22 codes worth a specific phrase; the rest of the class reads "invalid data". */
const DATA_EXCEPTIONS: Record<string, string> = {
  "22001": "a string is too long",
  "22003": "a number is out of range",
  "22007": "a date or time is malformed",
  "22008": "a date or time is out of range",
  "22021": "a string is not valid UTF-8 or contains a NUL character",
  "22P02": "a value has the wrong format",
  "22P05": "a string contains a Unicode escape the database cannot store (such as \\u0000)",
};

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The SQLSTATE of a database error: postgres.js's PostgresError and PGlite's DatabaseError both carry it as `code`;
 *  drizzle wraps either in a DrizzleQueryError whose `cause` is the original, so causes are followed. */
export function sqlStateOf(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && SQLSTATE.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** A client-safe reason when `error` is a database error that can never succeed on retry; null otherwise (a lost
 *  connection, a serialization failure, a bug: worth a retry). */
export function permanentReportError(error: unknown): string | null {
  const code = sqlStateOf(error);
  if (!code) return null;
  const reason = code.startsWith("22") ? (DATA_EXCEPTIONS[code] ?? "invalid data") : PERMANENT_CODES[code];
  return reason ? `the server cannot store this report: ${reason} (SQLSTATE ${code})` : null;
}

/** A bounded, log-safe line for a failed report: the database's code and message (not drizzle's wrapper, whose
 *  message quotes every parameter, weights and model JSON included), or the error's first line and a few frames. */
export function describeReportFailure(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string" && SQLSTATE.test(code)) return truncateText(`database error ${code}: ${String(message)}`);
    current = (current as { cause?: unknown }).cause;
  }
  if (!(error instanceof Error)) return truncateText(String(error));
  const frames = (error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line)).slice(0, 6);
  return [truncateText(error.message.split("\n")[0]), ...frames].join("\n");
}
