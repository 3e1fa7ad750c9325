"use client";
import { useState } from "react";
import { postJson } from "@/app/lib/api-client";
import { safeNext, SIGN_IN_URL } from "@/app/lib/auth-urls";
import { AuthCard, AuthField } from "./auth-card";

export function LoginForm({ next }: { next: string | null }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setPending(true);
    setError(null);
    try {
      await postJson(SIGN_IN_URL, { email, password });
      window.location.assign(safeNext(next));
    } catch (e) {
      setError((e as Error).message);
      setPending(false);
    }
  };
  return (
    <AuthCard title="Sign in to Sweepboard" error={error} pending={pending} submitLabel="Sign in" testId="login-form" onSubmit={() => void submit()}>
      <AuthField label="Email" type="email" autoComplete="username" value={email} onChange={setEmail} testId="login-email" />
      <AuthField label="Password" type="password" autoComplete="current-password" value={password} onChange={setPassword} testId="login-password" />
    </AuthCard>
  );
}
