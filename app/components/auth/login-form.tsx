"use client";
import { Button, Card, TextInput, Title } from "@tremor/react";
import { useState, type FormEvent } from "react";
import { postJson } from "@/app/lib/api-client";
import { safeNext, SIGN_IN_URL } from "@/app/lib/auth-urls";

export function LoginForm({ next }: { next: string | null }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
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
    <Card className="mx-auto mt-12 max-w-md">
      <Title>Sign in to Sweepboard</Title>
      <form className="mt-6 space-y-4" onSubmit={(e) => void submit(e)} data-testid="login-form">
        <label className="block text-tremor-default">
          Email
          <TextInput type="email" autoComplete="username" value={email} onValueChange={setEmail} required data-testid="login-email" />
        </label>
        <label className="block text-tremor-default">
          Password
          <TextInput type="password" autoComplete="current-password" value={password} onValueChange={setPassword} required data-testid="login-password" />
        </label>
        {error && (
          <p className="text-tremor-default text-red-600" role="alert">
            {error}
          </p>
        )}
        <Button type="submit" loading={pending} className="w-full" data-testid="login-submit">
          Sign in
        </Button>
      </form>
    </Card>
  );
}
