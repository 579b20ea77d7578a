/** One parity case: a Workers-style module and the requests sent to it, on Edgepad and on workerd. */
export interface ParityRequest {
  method?: string
  /** Path and query, e.g. `/users/1?x=2`. */
  path?: string
  headers?: Record<string, string>
  body?: string
}

export interface ParityCase {
  name: string
  /** `export default { fetch(request, env, ctx) { … } }`, unchanged on both runtimes. */
  code: string
  requests?: ParityRequest[]
  env?: Record<string, string>
}

/** Shorthand: a case whose module is `export default { async fetch(request, env, ctx) { BODY } }`. */
export function fetchCase(name: string, body: string, requests?: ParityRequest[], env?: Record<string, string>): ParityCase {
  return { name, code: `export default { async fetch(request, env, ctx) {\n${body}\n} }`, requests, env }
}
