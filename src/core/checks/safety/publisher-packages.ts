// The packages of one publisher folder, as the marketplace layout lists them (every folder in it;
// its files are the profile or stray files, which the layout reports): what a scan thread lists
// for itself when it is given publisher folders before the caller has listed the marketplace.
import type { Snapshot } from '../../snapshot/types.js'
import { baseName } from '../../marketplace/layout.js'
import { PUBLISHERS_DIR, packageRef, type PackageRef } from '../../marketplace/paths.js'

export async function publisherPackages(snapshot: Snapshot, login: string): Promise<PackageRef[]> {
  const packages: PackageRef[] = []
  for (const child of await snapshot.list(`${PUBLISHERS_DIR}/${login}`))
    if (child.kind === 'directory') packages.push(packageRef(login, baseName(child.path)))
  return packages
}
