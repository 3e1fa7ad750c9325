import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { hostAllowList, hostOf } from "../../../server/http/host-allow-list";
import { parseTarget } from "../../../server/http/request-target";

describe("Host allow-list", () => {
  it("answers to loopback names only when listening on loopback", () => {
    const list = hostAllowList({ listenHost: "127.0.0.1" });
    for (const host of ["localhost:3000", "127.0.0.1:3000", "[::1]:3000", "LOCALHOST"]) expect(list.allowsHost(host), host).toBe(true);
    for (const host of ["attacker.example", "attacker.example:3000", "127.0.0.1.nip.io", "", undefined, "a@localhost", "localhost/x"]) expect(list.allowsHost(host), String(host)).toBe(false);
    expect(list.allowsOrigin("http://localhost:3000")).toBe(true);
    expect(list.allowsOrigin("http://attacker.example")).toBe(false);
    expect(list.allowsOrigin("null")).toBe(false);
    expect(list.allowsOrigin("file://localhost")).toBe(false);
  });

  it("adds the machine's names on every interface, the public URL and the extra names", () => {
    expect(hostAllowList({ listenHost: "0.0.0.0" }).allowsHost(`${hostname()}:3000`)).toBe(true);
    const list = hostAllowList({ listenHost: "127.0.0.1", publicUrl: "https://sweeps.example.com/", extra: "gpu-lab, Dash.Internal" });
    expect(list.allowsHost("sweeps.example.com")).toBe(true);
    expect(list.allowsHost("dash.internal:8080")).toBe(true);
    expect(list.allowsHost("other.example.com")).toBe(false);
    expect(hostAllowList({ listenHost: "127.0.0.1", extra: "*" }).allowsHost("anything.example")).toBe(true);
  });

  it("reads a Host header's name", () => {
    expect(hostOf("Example.COM:80")).toBe("example.com");
    expect(hostOf("[::1]:3000")).toBe("[::1]");
    expect(hostOf("x".repeat(400))).toBeNull();
  });
});

describe("request target", () => {
  it("decodes the path and refuses what cannot be decoded or stored", () => {
    expect(parseTarget("/api/sweeps/abc?since=12")).toEqual({ ok: true, path: "/api/sweeps/abc" });
    expect(parseTarget("/api/%74okens")).toEqual({ ok: true, path: "/api/tokens" });
    for (const bad of ["/api/sweeps/%E0%A4%A/pause", "/api/trials/%ff/evaluation", "/a%00b", "/a/%ED%A0%80", "/x?since=%ff", "/a%2fb", "http://evil/x", "*", "/" + "a".repeat(9000)]) {
      expect(parseTarget(bad).ok, bad).toBe(false);
    }
  });
});
