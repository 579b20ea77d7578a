// `FormData`: an ordered list of name → string or File entries.
import { brand, pairIterator, toUSV, type Pair } from '../util.ts'
import { Blob, File } from './blob.ts'

export type FormValue = string | File
const newIterator = pairIterator('FormData Iterator')

function toEntry(name: unknown, value: unknown, filename: unknown): [string, FormValue] {
  const n = toUSV(name)
  if (value instanceof Blob) {
    const fname = filename !== undefined ? toUSV(filename) : value instanceof File ? value.name : 'blob'
    const file = value instanceof File && filename === undefined ? value : new File([value], fname, { type: value.type, lastModified: value instanceof File ? value.lastModified : undefined })
    return [n, file]
  }
  return [n, toUSV(value)]
}

export class FormData {
  #entries: [string, FormValue][] = []

  constructor(form?: unknown) {
    if (form !== undefined) throw new TypeError("Failed to construct 'FormData': there are no HTML forms in a server runtime; pass no argument")
  }
  append(name: string, value: unknown, filename?: string): void {
    this.#entries.push(toEntry(name, value, filename))
  }
  delete(name: string): void {
    const n = toUSV(name)
    this.#entries = this.#entries.filter(([k]) => k !== n)
  }
  get(name: string): FormValue | null {
    const n = toUSV(name)
    return this.#entries.find(([k]) => k === n)?.[1] ?? null
  }
  getAll(name: string): FormValue[] {
    const n = toUSV(name)
    return this.#entries.filter(([k]) => k === n).map(([, v]) => v)
  }
  has(name: string): boolean {
    const n = toUSV(name)
    return this.#entries.some(([k]) => k === n)
  }
  set(name: string, value: unknown, filename?: string): void {
    const entry = toEntry(name, value, filename)
    const index = this.#entries.findIndex(([k]) => k === entry[0])
    if (index < 0) {
      this.#entries.push(entry)
      return
    }
    this.#entries[index] = entry
    this.#entries = this.#entries.filter(([k], i) => i <= index || k !== entry[0])
  }
  forEach(callback: (value: FormValue, name: string, form: FormData) => void, thisArg?: unknown): void {
    for (let i = 0; i < this.#entries.length; i++) {
      const [k, v] = this.#entries[i]!
      callback.call(thisArg, v, k, this)
    }
  }
  keys(): IterableIterator<string> {
    return newIterator(() => this.#entries as unknown as Pair[], 0)
  }
  values(): IterableIterator<FormValue> {
    return newIterator(() => this.#entries as unknown as Pair[], 1)
  }
  entries(): IterableIterator<[string, FormValue]> {
    return newIterator(() => this.#entries as unknown as Pair[], 2)
  }
  declare [Symbol.iterator]: () => IterableIterator<[string, FormValue]>
}
brand(FormData, 'FormData', true)
