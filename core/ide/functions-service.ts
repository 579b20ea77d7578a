import { AppError } from '../../common/errors.ts'
import type { functionsContract } from '../../common/contracts/functions-contract.ts'
import type { ServiceImpl } from '../../common/contracts/contract.ts'
import { findTemplate } from '../../common/ide/templates.ts'
import type { Runtime } from '../runtime/runtime.ts'
import type { Store } from '../store/repos.ts'
import type { FunctionRunner } from './function-runner.ts'
import type { TestCaseFiles } from './test-case-file.ts'

/** Every function made in the desktop IDE belongs to this one local owner. */
export const LOCAL_OWNER = 'local'

export interface FunctionsServiceDeps {
  store: Store
  runtime: Runtime
  runner: FunctionRunner
  testCases: TestCaseFiles
}

export function createFunctionsService(deps: FunctionsServiceDeps): ServiceImpl<typeof functionsContract> {
  const { store } = deps
  return {
    async list({ search }) {
      const all = await store.functions.list(LOCAL_OWNER)
      const needle = search?.trim().toLowerCase()
      const found = needle ? all.filter((fn) => fn.name.includes(needle) || fn.description.toLowerCase().includes(needle)) : all
      return found.sort((a, b) => a.name.localeCompare(b.name))
    },
    get: ({ id }) => store.functions.get(id),
    async create({ name, template }) {
      const chosen = findTemplate(template)
      if (!chosen) throw new AppError('validation_failed', `Unknown template '${template}'`, [{ path: 'template', message: 'unknown template' }])
      const saved = await store.functions.create({ owner: LOCAL_OWNER, name, code: chosen.code, runtime: chosen.runtime, description: chosen.description })
      return saved.function
    },
    async save({ id, code }) {
      const saved = await store.functions.update(id, { code })
      const check = await deps.runtime.check(await deps.runner.specFor(saved.function))
      const diagnostic =
        check.outcome === 'compile_error'
          ? { message: check.error?.message ?? 'The code does not compile', line: check.error?.line ?? null, column: check.error?.column ?? null }
          : null
      return { function: saved.function, versionCreated: saved.versionCreated, diagnostic }
    },
    updateSettings: ({ id, settings }) => store.functions.update(id, settings),
    async rename({ id, name }) {
      return (await store.functions.update(id, { name })).function
    },
    async duplicate({ id, name }) {
      const source = await store.functions.get(id)
      const copy = await store.functions.create({
        owner: LOCAL_OWNER,
        name,
        description: source.description,
        code: source.code,
        runtime: source.runtime,
        handler: source.handler,
        timeoutMs: source.timeoutMs,
        memoryMb: source.memoryMb,
        envVars: await store.functions.revealEnvVars(id),
        triggerType: source.triggerType,
        cronSchedule: source.cronSchedule,
      })
      for (const testCase of deps.testCases.list(id)) {
        deps.testCases.save(copy.function.id, { name: testCase.name, request: testCase.request, assertions: testCase.assertions })
      }
      return copy.function
    },
    async delete({ id }) {
      await store.functions.delete(id)
      deps.testCases.deleteAll(id)
      return { deleted: true }
    },
    envVarNames: ({ id }) => store.functions.listEnvVarNames(id),
    revealEnvVars: ({ id }) => store.functions.revealEnvVars(id),
    async setEnvVar({ id, name, value }) {
      await store.functions.setEnvVar(id, name, value)
      return store.functions.listEnvVarNames(id)
    },
    async deleteEnvVar({ id, name }) {
      await store.functions.deleteEnvVar(id, name)
      return store.functions.listEnvVarNames(id)
    },
  }
}
