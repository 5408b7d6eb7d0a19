export const targets: { document: string; output: string }[];
export function render(document: string): Promise<string>;
