"use client";
import { Button, Card, TextInput, Title } from "@tremor/react";
import type { FormEvent, ReactNode } from "react";

/** A labelled text field of the sign-in and setup forms. */
export function AuthField(props: { label: string; value: string; onChange: (value: string) => void; type?: "text" | "email" | "password"; autoComplete?: string; testId?: string }) {
  return (
    <label className="block text-tremor-default text-tremor-content-emphasis dark:text-dark-tremor-content-emphasis">
      {props.label}
      <TextInput type={props.type} autoComplete={props.autoComplete} value={props.value} onValueChange={props.onChange} required data-testid={props.testId} />
    </label>
  );
}

/** The card, title, error line and submit button the sign-in and setup forms share. */
export function AuthCard(props: { title: string; intro?: ReactNode; error: string | null; pending: boolean; submitLabel: string; testId: string; onSubmit: () => void; children: ReactNode }) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit();
  };
  return (
    <Card className="mx-auto mt-12 max-w-md">
      <Title>{props.title}</Title>
      {props.intro}
      <form className="mt-6 space-y-4" onSubmit={submit} data-testid={props.testId}>
        {props.children}
        {props.error && (
          <p className="text-tremor-default text-red-600" role="alert">
            {props.error}
          </p>
        )}
        <Button type="submit" loading={props.pending} className="w-full" data-testid={`${props.testId.replace(/-form$/, "")}-submit`}>
          {props.submitLabel}
        </Button>
      </form>
    </Card>
  );
}
