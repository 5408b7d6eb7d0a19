export const apis: Record<"puid" | "picket", { title: string }>;
export function injectSamples(api: string, doc: unknown): string[];
export function build(): string;
