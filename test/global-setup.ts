import type { TestProject } from "vitest/node";
import { startMocks } from "../scripts/mock.mjs";

/** Start Prism once for each document, hand the URLs to the tests, stop both at the end. */
export default async function setup(project: TestProject) {
  const mocks = await startMocks({ errors: true });
  project.provide("puidUrl", mocks.puid.url);
  project.provide("picketUrl", mocks.picket.url);
  return () => mocks.close();
}

declare module "vitest" {
  export interface ProvidedContext {
    puidUrl: string;
    picketUrl: string;
  }
}
