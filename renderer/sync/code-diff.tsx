import { createContext, useContext, type ComponentType } from 'react'
import { UnifiedDiff } from './unified-diff.tsx'

export interface CodeDiffProps {
  /** Remote side. */
  before: string
  /** Local side. */
  after: string
  label: string
  language: 'javascript' | 'typescript'
}

/**
 * How code diffs render. The app provides Monaco's diff editor; component tests (jsdom, no Monaco)
 * get the plain unified diff, which is also the fallback everywhere else.
 */
const CodeDiffContext = createContext<ComponentType<CodeDiffProps>>(UnifiedDiff)

export const CodeDiffProvider = CodeDiffContext.Provider

export function CodeDiff(props: CodeDiffProps) {
  const View = useContext(CodeDiffContext)
  return <View {...props} />
}
