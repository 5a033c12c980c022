import { createServer } from 'node:http'
import { settled } from 'smart-cache'
import { page, rows } from './render.ts'

const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'

const server = createServer((req, res) => {
  rows().then(
    list => {
      if (req.url === '/data.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(list))
        return
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(list))
    },
    (error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error))
    },
  )
}).listen(port, host, () => console.log(`node-ssr listening on http://${host}:${port}/`))

// Cache entries are written after each result is returned: a graceful stop lets them land.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close()
    void settled().finally(() => process.exit(0))
  })
}
