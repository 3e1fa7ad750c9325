"use client";
import { Button, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow, TextInput } from "@tremor/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { postJson } from "@/app/lib/api-client";
import { USERS_URL } from "@/app/lib/auth-urls";
import { formatDate } from "@/app/lib/format";
import type { UserSummary } from "@/server/auth/auth-service";

/** Accounts for colleagues: every account may use the whole dashboard. */
export function UserManager({ users }: { users: UserSummary[] }) {
  const router = useRouter();
  const [form, setForm] = useState({ name: "", email: "", password: "" });
  const [error, setError] = useState<string | null>(null);
  const field = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const create = async () => {
    setError(null);
    try {
      await postJson(USERS_URL, form);
      setForm({ name: "", email: "", password: "" });
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="mt-4 space-y-4" data-testid="user-manager">
      <div className="flex flex-wrap items-end gap-2">
        <TextInput placeholder="Name" value={form.name} onValueChange={field("name")} className="w-40" />
        <TextInput placeholder="Email" type="email" value={form.email} onValueChange={field("email")} className="w-56" />
        <TextInput placeholder="Password (10+ characters)" type="password" value={form.password} onValueChange={field("password")} className="w-56" />
        <Button onClick={() => void create()} disabled={!form.email || !form.password}>
          Add user
        </Button>
      </div>
      {error && <p className="text-tremor-default text-red-600">{error}</p>}
      <Table>
        <TableHead>
          <TableRow>
            <TableHeaderCell>Name</TableHeaderCell>
            <TableHeaderCell>Email</TableHeaderCell>
            <TableHeaderCell>Since</TableHeaderCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {users.map((u) => (
            <TableRow key={u.id}>
              <TableCell>{u.name}</TableCell>
              <TableCell>{u.email}</TableCell>
              <TableCell>{formatDate(u.createdAt)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
