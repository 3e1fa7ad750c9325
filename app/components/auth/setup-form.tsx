"use client";
import { Text } from "@tremor/react";
import { useState } from "react";
import { postJson } from "@/app/lib/api-client";
import { SETUP_URL, SIGN_IN_URL } from "@/app/lib/auth-urls";
import { AuthCard, AuthField } from "./auth-card";

/** The first account, with the token from the link the server printed at its first start. */
export function SetupForm({ token }: { token: string }) {
  const [name, setName] = useState("Admin");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setPending(true);
    setError(null);
    try {
      await postJson(SETUP_URL, { token, name, email, password });
      await postJson(SIGN_IN_URL, { email, password });
      window.location.assign("/");
    } catch (e) {
      setError((e as Error).message);
      setPending(false);
    }
  };
  const intro = <Text>This link works once. More accounts and tokens are made in Settings afterwards.</Text>;
  return (
    <AuthCard title="Create the admin account" intro={intro} error={error} pending={pending} submitLabel="Create account" testId="setup-form" onSubmit={() => void submit()}>
      <AuthField label="Name" value={name} onChange={setName} />
      <AuthField label="Email" type="email" autoComplete="username" value={email} onChange={setEmail} testId="setup-email" />
      <AuthField label="Password (at least 10 characters)" type="password" autoComplete="new-password" value={password} onChange={setPassword} testId="setup-password" />
    </AuthCard>
  );
}
