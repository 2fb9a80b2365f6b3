// Typed action inputs. A bad input is the workflow author's mistake: it is reported as a
// configuration error naming the input, apart from the findings.
import * as core from '@actions/core'
import { ConfigError } from '../../core/errors.js'

export function stringInput(name: string): string | undefined {
  const value = core.getInput(name).trim()
  return value === '' ? undefined : value
}

export function choiceInput<T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const value = stringInput(name) ?? fallback
  if (!(choices as readonly string[]).includes(value)) {
    throw new ConfigError(`input \`${name}\` is \`${value}\`; expected one of: ${choices.join(', ')}`)
  }
  return value as T
}

export function booleanInput(name: string, fallback: boolean): boolean {
  const value = stringInput(name)
  if (value === undefined) return fallback
  if (/^(true|yes|on|1)$/i.test(value)) return true
  if (/^(false|no|off|0)$/i.test(value)) return false
  throw new ConfigError(`input \`${name}\` is \`${value}\`; expected true or false`)
}

export function integerInput(name: string, fallback: number, min: number, max: number): number {
  const value = stringInput(name)
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`input \`${name}\` is \`${value}\`; expected a whole number from ${min} to ${max}`)
  }
  return n
}
