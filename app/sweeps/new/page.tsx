import { Text, Title } from "@tremor/react";
import { SweepForm } from "../../components/sweep-form/sweep-form";

export default function NewSweepPage() {
  return (
    <div className="mx-auto max-w-4xl">
      <Title className="text-2xl">New sweep</Title>
      <Text className="mb-6">Random, grid, quasi-random or Bayesian (TPE, GP) search over a CNN on Fashion-MNIST, with optional pruning. Every epoch streams to the sweep page as it trains.</Text>
      <SweepForm />
    </div>
  );
}
