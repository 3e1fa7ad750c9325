// Accuracy, confusion matrix and per-class / macro precision, recall and F1 from true and predicted labels,
// with scikit-learn's conventions: rows are true classes, columns predictions; a ratio with a zero denominator is
// 0; macro averages run over the classes present in the labels or the predictions. Plain numbers only.
import type { ClassificationReport } from "./types";

export function classificationReport(labels: ArrayLike<number>, predicted: ArrayLike<number>, numClasses: number, loss: number): ClassificationReport {
  if (labels.length !== predicted.length) throw new Error(`${labels.length} labels but ${predicted.length} predictions`);
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    confusion[labels[i]][predicted[i]] += 1;
    if (labels[i] === predicted[i]) correct += 1;
  }
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const present: boolean[] = [];
  const perClass = confusion.map((row, c) => {
    const truePositives = row[c];
    const support = row.reduce((sum, n) => sum + n, 0);
    const predictedAs = confusion.reduce((sum, r) => sum + r[c], 0);
    present.push(support + predictedAs > 0);
    const precision = ratio(truePositives, predictedAs);
    const recall = ratio(truePositives, support);
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const mean = (values: number[]) => {
    const counted = values.filter((_, c) => present[c]);
    return counted.length === 0 ? 0 : counted.reduce((a, b) => a + b, 0) / counted.length;
  };
  return {
    count: labels.length,
    loss,
    accuracy: labels.length === 0 ? Number.NaN : correct / labels.length,
    macro: {
      precision: mean(perClass.map((c) => c.precision)),
      recall: mean(perClass.map((c) => c.recall)),
      f1: mean(perClass.map((c) => c.f1)),
    },
    perClass,
    confusion,
  };
}
