"use client";
import { Button, Card, Text, TextInput, Title } from "@tremor/react";
import { useState, type FormEvent } from "react";
import { postJson } from "@/app/lib/api-client";
import { SETUP_URL, SIGN_IN_URL } from "@/app/lib/auth-urls";

/** The first account, with the token from the link the server printed at its first start. */
export function SetupForm({ token }: { token: string }) {
  const [name, setName] = useState("Admin");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
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
  return (
    <Card className="mx-auto mt-12 max-w-md">
      <Title>Create the admin account</Title>
      <Text>This link works once. More accounts and tokens are made in Settings afterwards.</Text>
      <form className="mt-6 space-y-4" onSubmit={(e) => void submit(e)} data-testid="setup-form">
        <label className="block text-tremor-default">
          Name
          <TextInput value={name} onValueChange={setName} required />
        </label>
        <label className="block text-tremor-default">
          Email
          <TextInput type="email" autoComplete="username" value={email} onValueChange={setEmail} required data-testid="setup-email" />
        </label>
        <label className="block text-tremor-default">
          Password (at least 10 characters)
          <TextInput type="password" autoComplete="new-password" value={password} onValueChange={setPassword} required data-testid="setup-password" />
        </label>
        {error && (
          <p className="text-tremor-default text-red-600" role="alert">
            {error}
          </p>
        )}
        <Button type="submit" loading={pending} className="w-full" data-testid="setup-submit">
          Create account
        </Button>
      </form>
    </Card>
  );
}
