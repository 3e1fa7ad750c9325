// readJsonBody is the edge of every JSON route: text PostgreSQL can never store (NUL, lone surrogates) is a 400
// naming the field there, not a database error and a 500 in whichever insert meets it first (tokens, users…).
import { describe, expect, it, vi } from "vitest";
import { errorResponse, readJsonBody, unstorableTextIn } from "../../app/api/_lib/respond";

const post = (body: string) => new Request("http://x/api/tokens", { method: "POST", body, headers: { "content-type": "application/json" } });

describe("JSON bodies at the edge", () => {
  it.each([
    ['{"name":"a\\u0000b","scope":"api"}', "name", "NUL"],
    ['{"email":"a@b.test","name":"\\ud800","password":"x"}', "name", "surrogate"],
    ['{"budget":{"a\\u0000":1}}', "budget.a\u0000", "the key contains a NUL"],
    ['[1,{"x":["ok","\\udc00"]}]', "1.x.1", "surrogate"],
  ])("refuses %s with a 400 at %s", async (body, path, message) => {
    const result = await readJsonBody(post(body));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.response.status).toBe(400);
    const { errors } = (await result.response.json()) as { errors: { path: string; message: string }[] };
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe(path);
    expect(errors[0].message).toContain(message);
  });

  it("passes storable text through, surrogate pairs and escapes included", async () => {
    const result = await readJsonBody(post('{"name":"\\ud83d\\ude00 caf\\u00e9 \\u0001","scope":"api"}'));
    expect(result).toEqual({ ok: true, body: { name: "😀 café \u0001", scope: "api" } });
  });

  it("walks 100,000 levels of nesting without overflowing the stack", () => {
    const deep = JSON.parse("[".repeat(100_000) + '"\\u0000"' + "]".repeat(100_000)) as unknown;
    expect(unstorableTextIn(deep)?.message).toContain("NUL");
    expect(unstorableTextIn(JSON.parse("[".repeat(100_000) + "]".repeat(100_000)))).toBeNull();
  });

  it("logs an unexpected error without the query parameters drizzle puts in its message", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const cause = Object.assign(new Error("invalid byte sequence for encoding \"UTF8\": 0x00"), { code: "22021" });
    const error = Object.assign(new Error('Failed query: insert into "api_tokens" values ($1, $2)\nparams: a,secret-token-hash'), { cause });
    expect(errorResponse(error).status).toBe(500);
    const logged = log.mock.calls.flat().map(String).join(" ");
    log.mockRestore();
    expect(logged).toContain("22021");
    expect(logged).not.toContain("secret-token-hash");
  });
});
