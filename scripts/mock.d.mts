export interface Mock {
  url: string;
  close(): Promise<void>;
}
export const documents: { puid: string; picket: string };
export function startMock(
  document: string,
  options?: { port?: number; host?: string; errors?: boolean; verbose?: boolean; upstream?: string },
): Promise<Mock>;
export function startProxy(
  document: string,
  upstream: string,
  options?: { port?: number; host?: string; errors?: boolean; verbose?: boolean },
): Promise<Mock>;
export function startMocks(options?: {
  errors?: boolean;
  verbose?: boolean;
  ports?: { puid?: number; picket?: number };
}): Promise<{ puid: Mock; picket: Mock; close(): Promise<void> }>;
