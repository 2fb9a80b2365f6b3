// The Cloudflare Worker entry of the stats service (examples/stats-service/wrangler.toml):
// requests go to the routes, the daily cron closes the previous day.
import { handleRequest, handleScheduled, type Env } from './handler.js'

export type { Env }

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    return handleRequest(request, env)
  },
  async scheduled(controller: { scheduledTime: number }, env: Env): Promise<void> {
    await handleScheduled(controller.scheduledTime, env)
  }
}
