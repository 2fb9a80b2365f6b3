// What the benchmark scripts share. Figures are medians of several runs: these machines are shared
// and noisy, so the scripts compare ratios within one run rather than absolute times.

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}
