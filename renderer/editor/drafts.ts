/** Unsaved editor text per function, in localStorage, so a window reload loses nothing. */
const key = (functionId: string) => `edgepad.draft.${functionId}`

export function loadDraft(functionId: string): string | null {
  return localStorage.getItem(key(functionId))
}

export function storeDraft(functionId: string, code: string, saved: string): void {
  if (code === saved) localStorage.removeItem(key(functionId))
  else localStorage.setItem(key(functionId), code)
}

export function clearDraft(functionId: string): void {
  localStorage.removeItem(key(functionId))
}
