import { createInterface } from "node:readline/promises";

/** Asks a question on stderr and reads one line from stdin. */
export async function ask(question: string): Promise<string> {
  const reader = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await reader.question(question)).trim();
  } finally {
    reader.close();
  }
}
