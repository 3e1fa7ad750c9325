"use client";
import { Badge, Button, Select, SelectItem, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow, TextInput } from "@tremor/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { postJson, requestJson } from "@/app/lib/api-client";
import { tokenUrl, TOKENS_URL } from "@/app/lib/auth-urls";
import { formatDate } from "@/app/lib/format";
import type { TokenSummary } from "@/server/auth/token-store";

/** Create (shown once), list with last use, revoke. */
export function TokenManager({ tokens }: { tokens: TokenSummary[] }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<"api" | "worker">("worker");
  const [created, setCreated] = useState<{ token: string; summary: TokenSummary } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const create = () => run(async () => setCreated(await postJson<{ token: string; summary: TokenSummary }>(TOKENS_URL, { name, scope })));
  const revoke = (id: string) => run(async () => void (await requestJson(tokenUrl(id), { method: "DELETE" })));
  return (
    <div className="mt-4 space-y-4" data-testid="token-manager">
      <div className="flex flex-wrap items-end gap-2">
        <label className="text-tremor-default text-tremor-content-emphasis dark:text-dark-tremor-content-emphasis">
          Name
          <TextInput value={name} onValueChange={setName} placeholder="gpu-box-1" data-testid="token-name" />
        </label>
        <label className="text-tremor-default text-tremor-content-emphasis dark:text-dark-tremor-content-emphasis">
          Scope
          <Select value={scope} onValueChange={(v) => setScope(v as "api" | "worker")} enableClear={false} data-testid="token-scope">
            <SelectItem value="worker">worker: the worker protocol only</SelectItem>
            <SelectItem value="api">api: the REST API</SelectItem>
          </Select>
        </label>
        <Button disabled={!name.trim()} onClick={() => void create()} data-testid="token-create">
          Create token
        </Button>
      </div>
      {error && <p className="text-tremor-default text-red-600">{error}</p>}
      {created && (
        <div className="rounded border border-amber-300 bg-amber-50 p-3 text-tremor-default dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100" data-testid="token-created">
          Copy this token now; it is not shown again:
          <code className="mt-1 block break-all font-mono" data-testid="token-value">
            {created.token}
          </code>
          {created.summary.scope === "worker" && <span className="mt-1 block">npx sweepboard worker --server {typeof window === "undefined" ? "URL" : window.location.origin} --token {created.token}</span>}
        </div>
      )}
      <Table>
        <TableHead>
          <TableRow>
            <TableHeaderCell>Name</TableHeaderCell>
            <TableHeaderCell>Scope</TableHeaderCell>
            <TableHeaderCell>Token</TableHeaderCell>
            <TableHeaderCell>Created</TableHeaderCell>
            <TableHeaderCell>Last used</TableHeaderCell>
            <TableHeaderCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {tokens.map((t) => (
            <TableRow key={t.id} data-testid="token-row">
              <TableCell>{t.name}</TableCell>
              <TableCell>
                <Badge color={t.scope === "worker" ? "violet" : "blue"}>{t.scope}</Badge>
              </TableCell>
              <TableCell className="font-mono">{t.prefix}…</TableCell>
              <TableCell>{formatDate(t.createdAt)}</TableCell>
              <TableCell>{t.lastUsedAt ? formatDate(t.lastUsedAt) : "never"}</TableCell>
              <TableCell>
                <Button size="xs" variant="secondary" color="red" onClick={() => void revoke(t.id)} data-testid="token-revoke">
                  Revoke
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
