import { describe, expect, it, vi } from "vitest";
import { errorResponse, isAppError, readJsonBody, withErrors } from "../../app/api/_lib/respond";
import { AppError } from "../../server/errors";

describe("route handler responses", () => {
  it("recognises AppError by shape, not by class", () => {
    expect(isAppError(new AppError("not_found", "sweep not found"))).toBe(true);
    expect(isAppError({ name: "AppError", status: 409, message: "x" })).toBe(true);
    expect(isAppError(new Error("boom"))).toBe(false);
    expect(isAppError({ name: "AppError", status: "409" })).toBe(false);
  });

  it("maps AppError to its status with the message", async () => {
    const response = errorResponse(new AppError("conflict", "trial has no model"));
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: "trial has no model" });
  });

  it("answers 400s with field errors", async () => {
    const withDetails = errorResponse(new AppError("invalid", "bad", [{ path: "name", message: "required" }]));
    expect(await withDetails.json()).toEqual({ errors: [{ path: "name", message: "required" }] });
    const plain = errorResponse(new AppError("invalid", "bad id"));
    expect(plain.status).toBe(400);
    expect(await plain.json()).toEqual({ errors: [{ path: "", message: "bad id" }] });
  });

  it("hides unknown errors behind a generic 500 and logs them", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const handler = withErrors(async () => {
      throw new Error("connection refused to 10.0.0.5");
    });
    const response = await handler();
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: "internal server error" });
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });

  it("reports a body that is not JSON", async () => {
    const result = await readJsonBody(new Request("http://x/api/sweeps", { method: "POST", body: "{nope" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.response.status).toBe(400);
    expect(await result.response.json()).toEqual({ errors: [{ path: "", message: "body is not valid JSON" }] });
  });
});
