// The deploy tool: builds the wrangler command line for a Pages deployment.
export interface DeployInput {
  directory: string
  project: string
  production?: boolean
}

export function deployCommand(input: DeployInput): string[] {
  const args = ['pages', 'deploy', input.directory, '--project-name', input.project]
  if (!input.production) args.push('--branch', 'preview')
  return ['wrangler', ...args]
}
