import { createInterface } from "node:readline/promises";

/** Asks a question on stderr and reads one line from stdin. */
export async function ask(question: string): Promise<string> {
  const reader = createInterface({ input: process.stdin, output: process.stderr });
  // At a terminal readline takes Ctrl-C as a key: pass it on as the signal, so that it ends apply as anywhere else.
  reader.on("SIGINT", () => process.kill(process.pid, "SIGINT"));
  try {
    return (await reader.question(question)).trim();
  } finally {
    reader.close();
  }
}
