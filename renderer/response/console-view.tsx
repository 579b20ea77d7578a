import type { ConsoleLine } from '../../common/model/invocation.ts'

export function ConsoleView({ lines }: { lines: ConsoleLine[] }) {
  return (
    <section className="console" aria-label="Console">
      <h3>Console</h3>
      {lines.length === 0 ? (
        <p className="hint">No console output.</p>
      ) : (
        <ol data-testid="console-lines">
          {lines.map((line, index) => (
            <li key={index} className={`level-${line.level}`}>
              <span className="level">{line.level}</span> {line.message}
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
