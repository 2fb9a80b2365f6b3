// Placeholder replaced below.
export async function renderFormatDocs() { return {} }
