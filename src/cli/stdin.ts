/** Reading what is piped in, for the arguments that take `-` (a token kept out of the process list, ids from a pipe). */
import { createInterface } from "node:readline";

/** All of stdin, as text. */
export async function stdinText(): Promise<string> {
  let text = "";
  process.stdin.setEncoding("utf8");
  for await (const chunk of process.stdin) text += chunk as string;
  return text;
}

/** The non-blank lines of stdin, trimmed, each as soon as it arrives. */
export async function* stdinLines(): AsyncGenerator<string, void, undefined> {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    const trimmed = line.trim();
    if (trimmed) yield trimmed;
  }
}
