export interface RequiredProgram {
  program: string;
  debianPackage: string;
  purpose: string;
}
export const REQUIRED: [RequiredProgram, RequiredProgram];
export function which(program: string, path?: string): string | undefined;
export function decide(facts: { missing: RequiredProgram[]; isRoot: boolean; hasAptGet: boolean }):
  | { action: 'ok'; message?: undefined }
  | { action: 'install'; packages: string[]; message: string }
  | { action: 'stop'; message: string };
