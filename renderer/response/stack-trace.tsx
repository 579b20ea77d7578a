interface Props {
  stack: string
  fileName: string
  onJump(line: number, column?: number): void
}

/** A stack trace whose frames in the function's own file are links to that line in the editor. */
export function StackTrace({ stack, fileName, onJump }: Props) {
  const pattern = new RegExp(`(${fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}):(\\d+)(?::(\\d+))?`)
  return (
    <pre className="stack" data-testid="stack-trace">
      {stack.split('\n').map((line, index) => {
        const match = pattern.exec(line)
        if (!match) return <div key={index}>{line}</div>
        const lineNo = Number(match[2])
        const column = match[3] ? Number(match[3]) : undefined
        return (
          <div key={index}>
            {line.slice(0, match.index)}
            <button type="button" className="link" onClick={() => onJump(lineNo, column)}>
              {match[0]}
            </button>
            {line.slice(match.index + match[0].length)}
          </div>
        )
      })}
    </pre>
  )
}
