import { Card, Text, Title } from "@tremor/react";
import { TokenManager } from "../components/auth/token-manager";
import { UserManager } from "../components/auth/user-manager";
import { Notice } from "../components/notice";
import { load } from "../lib/load";

export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const [tokens, users] = await Promise.all([load((s) => s.auth.tokens.list()), load((s) => s.auth.users.list())]);
  return (
    <div className="space-y-6">
      <Card>
        <Title>Tokens</Title>
        <Text>
          Worker tokens let remote GPU boxes train for this server (<code>sweepboard worker --token …</code>) and nothing else; api tokens use the
          REST API (<code>Authorization: Bearer …</code>). Tokens are shown once, stored hashed, and revoking one disconnects its workers at once.
        </Text>
        {tokens.ok ? <TokenManager tokens={tokens.data} /> : <Notice title="Tokens are unavailable" tone="error">{tokens.error}</Notice>}
      </Card>
      <Card>
        <Title>Users</Title>
        {users.ok ? <UserManager users={users.data} /> : <Notice title="Users are unavailable" tone="error">{users.error}</Notice>}
      </Card>
    </div>
  );
}
