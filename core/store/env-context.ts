/** Associated data for a sealed env value: binds it to its function and name so rows cannot be swapped. */
export function envContext(functionId: string, name: string): string {
  return `env:${functionId}:${name}`
}
